//! The account at a glance: name, whose it is, kind, role, status, region, product (and
//! where it comes from) and parent.

use crate::components::copy_button::CopyButton;
use crate::components::format::date_time;
use crate::links;
use crate::state::account::{Ancestor, Details};
use leptos::prelude::*;
use leptos_router::components::A;
use partner_api::{AccountId, RegionId};

pub(super) fn summary(
    d: &Details,
    ancestors: &[Ancestor],
    region: &RegionId,
    region_name: &str,
    id: &AccountId,
    is_root: bool,
    own_login: &str,
) -> impl IntoView {
    let name = d.name(id);
    let (kind, role) = match &d.tokens {
        Ok(t) => (
            t.account_kind().label().to_owned(),
            t.owner_role().map_or_else(
                || "No person on this account".to_owned(),
                |r| format!("{} ({})", r.label(), r.as_str()),
            ),
        ),
        Err(e) => (format!("Unknown: {e}"), format!("Unknown: {e}")),
    };
    let you = is_root.then(|| {
        let role = d.tokens.as_ref().ok().and_then(|t| t.find(own_login)).map(|t| t.role.as_str().to_owned()).unwrap_or_default();
        view! {
            <p class="you">
                "This is your own account: you are signed in as " <strong>{own_login.to_owned()}</strong>
                {(!role.is_empty()).then(|| format!(" with the role {role}"))} "."
            </p>
        }
    });
    let status = match (&d.settings.deletion, d.settings.enabled) {
        (Some(when), _) => format!("Deletion scheduled for {}", date_time(when)),
        (None, true) => "Enabled".to_owned(),
        (None, false) => "Disabled".to_owned(),
    };
    let product = match (&d.product, &d.settings.product) {
        (None, _) => "None: neither this account nor any account above it has a product".to_owned(),
        (Some(p), Some(_)) => format!("{} (assigned to this account)", p.name),
        (Some(p), None) => {
            let from = ancestors
                .iter()
                .rev()
                .find(|a| a.product.as_deref() == Some(p.id.as_str()));
            match from {
                Some(a) => format!("{} (inherited from {})", p.name, a.name),
                None => format!("{} (inherited from an account above yours)", p.name),
            }
        }
    };
    let parent = (!is_root)
        .then(|| d.settings.parent.clone())
        .flatten()
        .map(|p| {
            let label = ancestors
                .last()
                .filter(|a| a.id == p)
                .map_or_else(|| p.to_string(), |a| a.name.clone());
            view! {
                <dt>"Parent"</dt>
                <dd><A href=links::account(region, &p)>{label}</A></dd>
            }
        });
    view! {
        <h1>{name}</h1>
        {you}
        <dl class="facts">
            <dt>"GUID"</dt>
            <dd><code class="guid">{id.to_string()}</code> " " <CopyButton text=id.to_string() label="GUID" /></dd>
            <dt>"Kind"</dt>
            <dd class="kind">{kind}</dd>
            <dt>"Role"</dt>
            <dd class="role">{role}</dd>
            <dt>"Status"</dt>
            <dd class="status">{status}</dd>
            <dt>"Region"</dt>
            <dd>{region_name.to_owned()}</dd>
            <dt>"Created"</dt>
            <dd>{d.settings.created.as_deref().map_or_else(|| "—".into(), date_time)}</dd>
            <dt>"Product"</dt>
            <dd class="product">{product}</dd>
            {parent}
        </dl>
    }
}
