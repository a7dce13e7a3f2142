//! `/settings`: the Enterprise API of a region for the signed-in partner: quota, features,
//! enterprise settings and the API password. Shares and client revisions have their own
//! pages (`/shares`, `/revisions`).

use crate::components::error_notice::ErrorNotice;
use crate::components::submit::SubmitButton;
use crate::state::{drafts, use_config, use_session, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use partner_api::calls::{GetFeatures, GetQuota, GetSettings, SetPassword, UpdateSettings};
use partner_api::config::Page;
use partner_api::enterprise::{Features, Quota, Settings, SettingsUpdate};
use partner_api::writes::{FieldProblem, Secret};
use partner_api::{ApiError, Family, RegionId};

/// Links between the Enterprise pages this deployment shows.
#[component]
pub fn EnterpriseNav() -> impl IntoView {
    let config = crate::state::use_config();
    let links = [
        (Page::Settings, "/settings", "Settings"),
        (Page::Shares, "/shares", "Shares"),
        (Page::Revisions, "/revisions", "Client revisions"),
    ]
    .into_iter()
    .filter(|(page, _, _)| config.shows(*page))
    .map(|(_, href, text)| view! { <li><A href=href>{text}</A></li> })
    .collect_view();
    view! { <nav aria-label="Enterprise pages" class="subnav"><ul>{links}</ul></nav> }
}

/// Bytes in words: "1.5 TB".
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["bytes", "KB", "MB", "GB", "TB", "PB"];
    // Integer arithmetic in tenths: no float formatting in the bundle.
    let mut unit = 1u64;
    let mut u = 0;
    while n / unit >= 1000 && u < UNITS.len() - 1 {
        unit *= 1000;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else {
        let tenths = (u128::from(n) * 10 + u128::from(unit) / 2) / u128::from(unit);
        format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[u])
    }
}

/// Seconds as a duration in words: "1 day 2 hours".
pub fn human_duration(seconds: i64) -> String {
    if seconds <= 0 {
        return "none".into();
    }
    let parts = [
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut rest = seconds;
    let mut out = Vec::new();
    for (size, name) in parts {
        if rest >= size {
            let k = rest / size;
            rest %= size;
            out.push(format!("{k} {name}{}", if k == 1 { "" } else { "s" }));
        }
        if out.len() == 2 {
            break;
        }
    }
    out.join(" ")
}

/// The region picker shared by the Enterprise pages; `None` when no signed-in region offers
/// the Enterprise API.
#[component]
pub fn EnterpriseRegion(chosen: RwSignal<Option<RegionId>>) -> impl IntoView {
    let session = use_session();
    let transport = use_transport();
    let config = use_config();
    move || {
        let list: Vec<RegionId> = session
            .signed_in()
            .into_iter()
            .map(|(r, _, _)| r)
            .filter(|r| transport.offers(r, Family::Enterprise))
            .collect();
        if list.is_empty() {
            chosen.set(None);
            return view! {
                <p>"Sign in to a region that offers the Enterprise API. Regions without it in this portal's configuration have no enterprise pages."</p>
            }
            .into_any();
        }
        let current = chosen
            .get_untracked()
            .filter(|c| list.contains(c))
            .unwrap_or_else(|| list[0].clone());
        if chosen.get_untracked().as_ref() != Some(&current) {
            chosen.set(Some(current.clone()));
        }
        let options = list
            .iter()
            .map(|r| {
                let name = config
                    .region(r)
                    .map_or_else(|| r.to_string(), |c| c.name.clone());
                let selected = r == &current;
                view! { <option value=r.to_string() selected=selected>{name}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="enterprise-region">"Region"</label>
                <select id="enterprise-region" on:change=move |ev| chosen.set(RegionId::parse(&event_target_value(&ev)).ok())>{options}</select>
            </div>
        }
        .into_any()
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<RegionId>);
    view! {
        <h1>"Settings"</h1>
        <EnterpriseNav />
        <EnterpriseRegion chosen />
        {move || chosen.get().map(|region| view! {
            <QuotaSection region=region.clone() />
            <FeaturesSection region=region.clone() />
            <SettingsForm region=region.clone() />
            <PasswordForm region=region.clone() />
        })}
    }
}

#[component]
fn QuotaSection(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let quota = crate::resource::Loaded::new(move || {
        let (transport, region) = (transport.clone(), region.clone());
        async move { transport.call(&region, &GetQuota).await }
    });
    let body = move || match quota.get() {
        None => view! { <p role="status">"Loading the quota…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| quota.refetch() /> }.into_any(),
        Some(Ok(q)) => quota_view(&q).into_any(),
    };
    view! { <section aria-labelledby="quota-title"><h2 id="quota-title">"Quota"</h2>{body}</section> }
}

fn quota_view(q: &Quota) -> impl IntoView {
    let bar = |label: &'static str, value: u64, of: Option<u64>| {
        let text = match of {
            Some(total) if total > 0 => format!(
                "{} of {} ({}%)",
                human_bytes(value),
                human_bytes(total),
                value * 100 / total
            ),
            _ => format!("{} (no limit)", human_bytes(value)),
        };
        let (max, now) = match of {
            Some(total) if total > 0 => (total, value.min(total)),
            _ => (value.max(1), value),
        };
        view! {
            <div class="quota-bar">
                <span class="quota-label">{label}</span>
                <meter min="0" max=max.to_string() value=now.to_string() aria-label=label></meter>
                <span>{text}</span>
            </div>
        }
    };
    let limit = (!q.is_unlimited()).then_some(q.bytes_available).flatten();
    view! {
        <p>{if q.is_unlimited() { "Storage is unlimited.".to_owned() } else { format!("{} available to divide among your users.", human_bytes(q.bytes_available.unwrap_or(0))) }}</p>
        {bar("Allocated", q.bytes_allocated, limit)}
        {bar("Used", q.bytes_used, limit.or(Some(q.bytes_allocated)))}
        <p>{format!("{} shares · {} devices", q.share_count, q.device_count)}</p>
    }
}

#[component]
fn FeaturesSection(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let features = crate::resource::Loaded::new(move || {
        let (transport, region) = (transport.clone(), region.clone());
        async move { transport.call(&region, &GetFeatures).await }
    });
    let body = move || match features.get() {
        None => view! { <p role="status">"Loading the features…"</p> }.into_any(),
        Some(Err(e)) => {
            view! { <ErrorNotice error=e retry=move |_| features.refetch() /> }.into_any()
        }
        Some(Ok(f)) => features_view(f).into_any(),
    };
    view! { <section aria-labelledby="features-title"><h2 id="features-title">"Features"</h2>{body}</section> }
}

fn features_view(f: Features) -> impl IntoView {
    let rows = [
        ("Key escrow server (NetKES)", f.netkes, "Your users' encryption keys are escrowed on your own server, so you can recover data for them."),
        ("LDAP", f.ldap, "Users come from your directory and sign in with their directory passwords."),
        ("Group permissions", f.group_permissions, "Access can be granted to groups of users at once."),
        ("Sign-up restrictions", f.signup_restrictions, "Sign-ups from chosen networks are sent to an administrator instead."),
        ("Email as user name", f.email_as_username, "Users are identified by their email address rather than a user name."),
    ];
    view! {
        <ul class="features">
            {rows.into_iter().map(|(name, on, what)| view! {
                <li>
                    <span class=if on { "mark partner" } else { "mark customer" }>{if on { "On" } else { "Off" }}</span>
                    " " <strong>{name}</strong> ": " {what}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The form's text for each setting; empty means "off" for nullable ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct SettingsDraft {
    omva_url: String,
    support_email: String,
    share_link_ttl: String,
    autopurge_interval: String,
    purgehold_duration: String,
    ad_domain: String,
    networks: Vec<String>,
    /// The explicit switches for the settings that `null` turns off.
    autopurge_on: bool,
    ad_domain_on: bool,
}

impl SettingsDraft {
    fn from(s: &Settings) -> Self {
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        SettingsDraft {
            omva_url: s.omva_url.clone().unwrap_or_default(),
            support_email: s.support_email.clone().unwrap_or_default(),
            share_link_ttl: n(s.share_link_ttl),
            autopurge_interval: n(s.autopurge_interval.filter(|v| *v != 0)),
            purgehold_duration: n(s.purgehold_duration),
            ad_domain: s.ad_domain.clone().unwrap_or_default(),
            networks: s.signup_network_restriction.clone(),
            autopurge_on: s.autopurge_interval.is_some_and(|v| v != 0),
            ad_domain_on: s.ad_domain.is_some(),
        }
    }

    /// The settings this draft asks for, or the fields whose numbers do not read.
    fn to_settings(&self) -> Result<Settings, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut num = |field: &'static str, text: &str, what: &str| -> Option<i64> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            match partner_api::validate::whole_number(t, what) {
                Ok(v) => Some(v),
                Err(m) => {
                    problems.push(FieldProblem { field, message: m });
                    None
                }
            }
        };
        let s = Settings {
            omva_url: Some(self.omva_url.trim().to_owned()).filter(|v| !v.is_empty()),
            support_email: Some(self.support_email.trim().to_owned()).filter(|v| !v.is_empty()),
            share_link_ttl: num(
                "share_link_ttl",
                &self.share_link_ttl,
                "The share link lifetime",
            ),
            autopurge_interval: if self.autopurge_on {
                num(
                    "autopurge_interval",
                    &self.autopurge_interval,
                    "The auto-purge interval",
                )
            } else {
                None
            },
            purgehold_duration: num(
                "purgehold_duration",
                &self.purgehold_duration,
                "The purge hold",
            ),
            ad_domain: Some(self.ad_domain.trim().to_owned())
                .filter(|v| self.ad_domain_on && !v.is_empty()),
            signup_network_restriction: self
                .networks
                .iter()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect(),
        };
        if self.autopurge_on && s.autopurge_interval.is_none() && problems.is_empty() {
            problems.push(FieldProblem {
                field: "autopurge_interval",
                message: "Enter the days, or switch auto-purge off.".into(),
            });
        }
        if self.ad_domain_on && s.ad_domain.is_none() {
            problems.push(FieldProblem {
                field: "ad_domain",
                message: "Enter the domain, or switch domain checking off.".into(),
            });
        }
        if problems.is_empty() {
            Ok(s)
        } else {
            Err(problems)
        }
    }
}

#[component]
fn SettingsForm(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let key = format!("settings.{region}");
    let loaded = {
        let (transport, region) = (transport.clone(), region.clone());
        crate::resource::Loaded::new(move || {
            let (transport, region) = (transport.clone(), region.clone());
            async move { transport.call(&region, &GetSettings).await }
        })
    };
    let draft = RwSignal::new(None::<SettingsDraft>);
    let restored = RwSignal::new(false);
    // When the settings arrive, start from a kept draft or from them.
    {
        let key = key.clone();
        Effect::new(move |_| {
            if let Some(Ok(s)) = loaded.get() {
                if draft.get_untracked().is_none() {
                    match drafts::load::<SettingsDraft>(&key) {
                        Some(d) if d != SettingsDraft::from(&s) => {
                            restored.set(true);
                            draft.set(Some(d));
                        }
                        _ => draft.set(Some(SettingsDraft::from(&s))),
                    }
                }
            }
        });
    }
    let changed = move || {
        let (Some(Ok(s)), Some(d)) = (loaded.get(), draft.get()) else {
            return false;
        };
        d != SettingsDraft::from(&s)
    };
    // Keep unsaved changes as a draft, and warn before leaving with them.
    {
        let key = key.clone();
        Effect::new(move |_| {
            let dirty = changed();
            if let Some(d) = draft.get() {
                if dirty {
                    drafts::save(&key, &d)
                } else {
                    drafts::discard(&key)
                }
            }
            set_leave_warning(dirty);
        });
        on_cleanup(|| set_leave_warning(false));
    }
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let problem = move |field: &'static str| {
        problems.with(|p| {
            p.iter()
                .filter(|p| p.field == field)
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(String::new());
    let pending = RwSignal::new(false);

    let submit = {
        let (transport, region) = (transport.clone(), region.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let (Some(Ok(old)), Some(d)) = (loaded.get_untracked(), draft.get_untracked()) else {
                return;
            };
            let new = match d.to_settings() {
                Ok(s) => s,
                Err(p) => {
                    problems.set(p);
                    return;
                }
            };
            let update = SettingsUpdate::between(&old, &new);
            let found = update.validate();
            problems.set(found.clone());
            done.set(String::new());
            if !found.is_empty() {
                return;
            }
            if update.is_empty() {
                done.set("Nothing changed.".into());
                return;
            }
            pending.set(true);
            error.set(None);
            let (transport, region) = (transport.clone(), region.clone());
            spawn_local(async move {
                match transport.call(&region, &UpdateSettings(update)).await {
                    Ok(()) => {
                        done.set("Settings saved.".into());
                        draft.set(None);
                        loaded.refetch();
                    }
                    Err(ApiError::BadRequest { message, fields }) if !fields.is_empty() => {
                        problems.set(
                            fields
                                .iter()
                                .filter_map(|f| {
                                    FIELD_NAMES
                                        .iter()
                                        .find(|x| *x == f)
                                        .map(|field| FieldProblem {
                                            field,
                                            message: message.clone(),
                                        })
                                })
                                .collect(),
                        );
                    }
                    Err(e) => error.set(Some(e)),
                }
                pending.set(false);
            });
        }
    };

    let text = move |label: &'static str,
                     field: &'static str,
                     get: fn(&SettingsDraft) -> String,
                     set: fn(&mut SettingsDraft, String),
                     hint: String| {
        let problem_id = format!("{field}-problem");
        let hint_id = format!("{field}-hint");
        let described = format!("{hint_id} {problem_id}");
        view! {
            <div class="field">
                <label for=field>{label}</label>
                <p id=hint_id class="hint">{hint}</p>
                <input id=field type="text"
                    aria-invalid=move || (!problem(field).is_empty()).to_string()
                    aria-describedby=described
                    prop:value=move || draft.with(|d| d.as_ref().map(get).unwrap_or_default())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(d) = d { set(d, v) }); } />
                <p id=problem_id class="field-problem">{move || problem(field)}</p>
            </div>
        }
    };
    let switch = move |id: &'static str,
                       label: &'static str,
                       get: fn(&SettingsDraft) -> bool,
                       set: fn(&mut SettingsDraft, bool)| {
        view! {
            <label class="choice switch" for=id>
                <input type="checkbox" id=id role="switch"
                    prop:checked=move || draft.with(|d| d.as_ref().map(get).unwrap_or(false))
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| if let Some(d) = d { set(d, on) }); } />
                " " {label}
            </label>
        }
    };
    let duration_hint = move || {
        draft.with(|d| {
            d.as_ref()
                .and_then(|d| d.purgehold_duration.trim().parse::<i64>().ok())
                .map(|s| format!("Seconds. Now: {}.", human_duration(s)))
                .unwrap_or_else(|| "Seconds; empty means none.".into())
        })
    };

    let networks = move || {
        let list = draft.with(|d| d.as_ref().map(|d| d.networks.clone()).unwrap_or_default());
        list.into_iter().enumerate().map(|(i, _)| {
            let id = format!("network-{i}");
            let for_id = id.clone();
            view! {
                <div class="address-line">
                    <label for=for_id>{format!("Netblock {}", i + 1)}</label>
                    <input id=id type="text" placeholder="192.0.2.0/24 or 2001:db8::/32"
                        prop:value=move || draft.with(|d| d.as_ref().and_then(|d| d.networks.get(i).cloned()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(l) = d.as_mut().and_then(|d| d.networks.get_mut(i)) { *l = v }); } />
                    <button type="button" class="link" aria-label=format!("Remove netblock {}", i + 1)
                        on:click=move |_| draft.update(|d| if let Some(d) = d { if i < d.networks.len() { d.networks.remove(i); } })>"Remove"</button>
                </div>
            }
        }).collect_view()
    };

    let body = move || {
        match loaded.get() {
        None => view! { <p role="status">"Loading the settings…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| loaded.refetch() /> }.into_any(),
        Some(Ok(_)) => view! {
            {move || restored.get().then(|| view! { <p class="draft-note" role="status">"Your unsaved changes are back."</p> })}
            <form class="new-account settings" on:submit=submit.clone() novalidate>
                {text("OpenManage Virtual Appliance URL", "omva_url", |d| d.omva_url.clone(), |d, v| d.omva_url = v, "Like https://omva.example.com/.".into())}
                {text("Support email", "support_email", |d| d.support_email.clone(), |d, v| d.support_email = v, "Where your users ask for help.".into())}
                {text("Share link lifetime", "share_link_ttl", |d| d.share_link_ttl.clone(), |d, v| d.share_link_ttl = v, "Minutes a generated share link stays valid.".into())}
                {switch("autopurge-on", "Purge deleted blocks automatically", |d| d.autopurge_on, |d, on| d.autopurge_on = on)}
                <Show when=move || draft.with(|d| d.as_ref().is_some_and(|d| d.autopurge_on))>
                    {text("Auto-purge after", "autopurge_interval", |d| d.autopurge_interval.clone(), |d, v| d.autopurge_interval = v, "Days after which deleted blocks are purged.".into())}
                </Show>
                {move || text("Purge hold", "purgehold_duration", |d| d.purgehold_duration.clone(), |d, v| d.purgehold_duration = v, duration_hint())}
                {switch("ad-domain-on", "Users must belong to an Active Directory domain", |d| d.ad_domain_on, |d, on| d.ad_domain_on = on)}
                <Show when=move || draft.with(|d| d.as_ref().is_some_and(|d| d.ad_domain_on))>
                    {text("Active Directory domain", "ad_domain", |d| d.ad_domain.clone(), |d, v| d.ad_domain = v, "Like corp.example.com.".into())}
                </Show>
                <fieldset class="address" aria-describedby="signup_network_restriction-problem">
                    <legend>"Networks that may not sign up directly"</legend>
                    {networks}
                    <button type="button" on:click=move |_| draft.update(|d| if let Some(d) = d { d.networks.push(String::new()) })>"Add a netblock"</button>
                    <p id="signup_network_restriction-problem" class="field-problem">{move || problem("signup_network_restriction")}</p>
                </fieldset>
                {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
                <p role="status" class="action-done">{move || done.get()}</p>
                <div class="action-buttons">
                    <SubmitButton pending label="Save settings" busy="Saving…" />
                    <button type="button" on:click=move |_| { draft.set(None); restored.set(false); loaded.refetch(); }>"Discard changes"</button>
                </div>
            </form>
        }.into_any(),
    }
    };
    view! { <section aria-labelledby="settings-title"><h2 id="settings-title">"Enterprise settings"</h2>{body}</section> }
}

const FIELD_NAMES: [&str; 7] = [
    "omva_url",
    "support_email",
    "share_link_ttl",
    "autopurge_interval",
    "purgehold_duration",
    "ad_domain",
    "signup_network_restriction",
];

/// Asks the browser to confirm before leaving the page with unsaved changes.
fn set_leave_warning(on: bool) {
    use wasm_bindgen::JsCast;
    let Some(w) = web_sys::window() else { return };
    if on {
        let handler = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(
            |e: web_sys::BeforeUnloadEvent| {
                e.prevent_default();
                e.set_return_value("You have unsaved settings.");
            },
        );
        w.set_onbeforeunload(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
    } else {
        w.set_onbeforeunload(None);
    }
}

/// A rough strength hint for a new password.
fn strength(p: &str) -> &'static str {
    let classes = [
        p.chars().any(|c| c.is_ascii_lowercase()),
        p.chars().any(|c| c.is_ascii_uppercase()),
        p.chars().any(|c| c.is_ascii_digit()),
        p.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    match (p.chars().count(), classes) {
        (0, _) => "",
        (n, _) if n < partner_api::validate::MIN_PASSWORD_LENGTH => {
            "Too short: at least 8 characters."
        }
        (n, c) if n >= 16 && c >= 3 => "Strong.",
        (n, c) if n >= 12 && c >= 2 => "Fair: longer is stronger.",
        _ => "Weak: use more characters and mix letters, digits and symbols.",
    }
}

#[component]
fn PasswordForm(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let problem = move |field: &'static str| crate::components::field::problem_for(problems, field);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(creds) = session.credentials(&region) else {
            return;
        };
        let (c, n, a) = (
            current.get_untracked(),
            new.get_untracked(),
            again.get_untracked(),
        );
        let mut found = Vec::new();
        if c != creds.password {
            found.push(FieldProblem {
                field: "current",
                message: "This is not your current password.".into(),
            });
        }
        if let Err(message) = partner_api::validate::password(&n) {
            found.push(FieldProblem {
                field: "new",
                message,
            });
        } else if n == c {
            found.push(FieldProblem {
                field: "new",
                message: "The new password is the same as the current one.".into(),
            });
        }
        if a != n {
            found.push(FieldProblem {
                field: "again",
                message: "The two new passwords differ.".into(),
            });
        }
        problems.set(found.clone());
        done.set(String::new());
        if !found.is_empty() {
            return;
        }
        pending.set(true);
        error.set(None);
        let (transport, region) = (transport.clone(), region.clone());
        spawn_local(async move {
            match transport
                .call(&region, &SetPassword(Secret(n.clone())))
                .await
            {
                Ok(()) => {
                    // The session switches at once; the old password is gone from memory and storage.
                    session.sign_in(
                        region.clone(),
                        crate::state::Credentials {
                            password: n,
                            ..creds
                        },
                    );
                    for s in [current, new, again] {
                        s.set(String::new());
                    }
                    done.set("Password changed. The portal uses the new one from now on.".into());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      value: RwSignal<String>,
                      autocomplete: &'static str| {
        let problem_id = format!("pw-{id}-problem");
        let input_id = format!("pw-{id}");
        let problem = problem(id);
        view! {
            <div class="field">
                <label for=input_id.clone()>{label}</label>
                <input id=input_id type="password" autocomplete=autocomplete
                    aria-invalid=move || problem.with(Option::is_some).to_string()
                    aria-describedby=problem_id.clone()
                    prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
                <p id=problem_id class="field-problem">{move || problem.get()}</p>
            </div>
        }
    };
    view! {
        <section aria-labelledby="password-title">
            <h2 id="password-title">"API password"</h2>
            <p>"The password of the login you are signed in with, for the API and the management console."</p>
            <form class="new-account" on:submit=submit novalidate>
                {field("current", "Current password", current, "current-password")}
                {field("new", "New password", new, "new-password")}
                <p class="hint" aria-live="polite">{move || strength(&new.get())}</p>
                {field("again", "New password again", again, "new-password")}
                {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
                <p role="status" class="action-done">{move || done.get()}</p>
                <div class="action-buttons">
                    <SubmitButton pending label="Change password" busy="Changing…" />
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_units() {
        assert_eq!(human_bytes(999), "999 bytes");
        assert_eq!(human_bytes(1_500_000_000_000), "1.5 TB");
        assert_eq!(human_duration(86_400 + 7_200 + 5), "1 day 2 hours");
        assert_eq!(human_duration(0), "none");
        assert_eq!(human_duration(61), "1 minute 1 second");
    }

    #[test]
    fn settings_drafts_read_numbers_and_offs() {
        let d = SettingsDraft {
            share_link_ttl: "60".into(),
            autopurge_on: true,
            autopurge_interval: "".into(),
            purgehold_duration: "x".into(),
            ..SettingsDraft::default()
        };
        let e = d.to_settings().unwrap_err();
        assert_eq!(e[0].field, "purgehold_duration");
        let ok = SettingsDraft {
            share_link_ttl: " 60 ".into(),
            networks: vec![" ".into(), "10.0.0.0/8".into()],
            ..SettingsDraft::default()
        }
        .to_settings()
        .unwrap();
        assert_eq!(ok.share_link_ttl, Some(60));
        assert_eq!(ok.autopurge_interval, None);
        assert_eq!(ok.signup_network_restriction, ["10.0.0.0/8"]);
        let on_but_empty = SettingsDraft {
            autopurge_on: true,
            ..SettingsDraft::default()
        }
        .to_settings()
        .unwrap_err();
        assert_eq!(on_but_empty[0].field, "autopurge_interval");
        let off = SettingsDraft {
            autopurge_interval: "30".into(),
            ad_domain: "corp.example".into(),
            ..SettingsDraft::default()
        }
        .to_settings()
        .unwrap();
        assert_eq!((off.autopurge_interval, off.ad_domain), (None, None));
    }

    #[test]
    fn strength_hints() {
        assert!(strength("short").starts_with("Too short"));
        assert!(strength("correct-Horse-9-battery").starts_with("Strong"));
    }
}
