//! `/accounts/:region/:id`: one account. Works on reload and as a shared link: credentials
//! come back from this tab's session, and without them the page says which region to sign in
//! to and returns here afterwards.

use super::account_actions::{AccountActions, ContactCard, ExportSubtree};
use crate::components::copy_button::CopyButton;
use crate::components::error_notice::ErrorNotice;
use crate::components::format::date_time;
use crate::state::{use_config, use_session, use_transport};
use crate::transport::Transport;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use partner_api::calls::{
    DeleteToken, GetAccount, GetContact, GetProduct, ListChildren, ListContactTypes, ListTokens,
};
use partner_api::model::{AccountSettings, ChildList, Contact, TokenList, PRIMARY_CONTACT};
use partner_api::writes::Product;
use partner_api::{AccountId, AccountKind, ApiError, RegionId, Role};

/// Everything the page shows about the account itself.
#[derive(Debug, Clone)]
pub struct Details {
    pub settings: AccountSettings,
    pub tokens: Result<TokenList, ApiError>,
    /// The primary contact first, then the others.
    pub contacts: Vec<Contact>,
    /// Why some contacts could not be loaded (a contact that does not exist is not a problem).
    pub contacts_error: Option<ApiError>,
    /// The product in effect, own or inherited.
    pub product: Option<Product>,
}

impl Details {
    pub fn name(&self, id: &AccountId) -> String {
        self.contacts
            .iter()
            .find_map(Contact::display_name)
            .map_or_else(|| id.to_string(), str::to_owned)
    }

    pub fn kind(&self) -> Option<AccountKind> {
        self.tokens.as_ref().ok().map(TokenList::account_kind)
    }
}

/// An account above this one, for breadcrumbs and product inheritance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ancestor {
    pub id: AccountId,
    pub name: String,
    pub product: Option<String>,
}

/// Loads the account, its users, every contact and the product in effect.
pub async fn load_details(
    transport: &Transport,
    region: &RegionId,
    id: &AccountId,
) -> Result<Details, ApiError> {
    let (settings_call, tokens_call, types_call, product_call) = (
        GetAccount(id.clone()),
        ListTokens(id.clone()),
        ListContactTypes(id.clone()),
        GetProduct(id.clone()),
    );
    let (settings, tokens, types, product) = futures::join!(
        transport.call(region, &settings_call),
        transport.call(region, &tokens_call),
        transport.call(region, &types_call),
        transport.call(region, &product_call),
    );
    let settings = settings?;
    let mut contacts_error = types.as_ref().err().cloned();
    let mut kinds = types
        .map(|t| t.types)
        .unwrap_or_else(|_| vec![PRIMARY_CONTACT.to_owned()]);
    kinds.sort_by_key(|k| k != PRIMARY_CONTACT);
    let calls: Vec<GetContact> = kinds
        .into_iter()
        .map(|kind| GetContact {
            account: id.clone(),
            kind,
        })
        .collect();
    let contacts = futures::future::join_all(calls.iter().map(|c| transport.call(region, c))).await;
    let mut loaded = Vec::new();
    for contact in contacts {
        match contact {
            Ok(c) => loaded.push(c),
            Err(ApiError::NotFound(_)) => {}
            Err(e) => {
                contacts_error.get_or_insert(e);
            }
        }
    }
    Ok(Details {
        settings,
        tokens,
        contacts: loaded,
        contacts_error,
        product: product.ok().flatten(),
    })
}

/// The accounts above `id`, from the signed-in account down, as far as the caller may see.
async fn load_ancestors(transport: &Transport, region: &RegionId, id: &AccountId) -> Vec<Ancestor> {
    let mut chain = Vec::new();
    let mut cursor = transport
        .call(region, &GetAccount(id.clone()))
        .await
        .ok()
        .and_then(|s| s.parent);
    while let Some(parent) = cursor.take() {
        if chain.len() > 64 {
            break;
        }
        let (settings_call, contact_call) = (
            GetAccount(parent.clone()),
            GetContact {
                account: parent.clone(),
                kind: PRIMARY_CONTACT.into(),
            },
        );
        let (settings, contact) = futures::join!(
            transport.call(region, &settings_call),
            transport.call(region, &contact_call)
        );
        // A 403 means the parent is above what the caller may see: the chain ends there.
        let Ok(settings) = settings else { break };
        chain.push(Ancestor {
            name: contact
                .ok()
                .and_then(|c| c.display_name().map(str::to_owned))
                .unwrap_or_else(|| parent.to_string()),
            id: parent,
            product: settings.product.clone(),
        });
        cursor = settings.parent;
    }
    chain.reverse();
    chain
}

/// The route's parameters, checked.
fn target(region: Option<String>, id: Option<String>) -> Result<(RegionId, AccountId), String> {
    let region = RegionId::parse(&region.unwrap_or_default()).map_err(|e| e.to_string())?;
    let id = AccountId::parse(&id.unwrap_or_default()).map_err(|e| e.to_string())?;
    Ok((region, id))
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let params = use_params_map();
    let config = use_config();
    let session = use_session();
    let route = Memo::new(move |_| params.with(|p| target(p.get("region"), p.get("id"))));

    move || match route.get() {
        Err(problem) => view! {
            <h1>"Account"</h1>
            <p role="alert">{problem}</p>
        }
        .into_any(),
        Ok((region, _)) if config.region(&region).is_none() => view! {
            <h1>"Account"</h1>
            <p role="alert">
                "This portal does not offer the region “" {region.to_string()} "”. "
                <A href="/accounts">"Go to your accounts"</A>
            </p>
        }
        .into_any(),
        Ok((region, _)) if !session.is_signed_in(&region) => {
            let name = config
                .region(&region)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            let next = web_sys::window()
                .and_then(|w| w.location().pathname().ok())
                .unwrap_or_default();
            let href = format!(
                "/sign-in?region={region}&next={}",
                partner_api::request::encode_component(&next)
            );
            view! {
                <h1>"Account"</h1>
                <p>
                    "This account is in " {name} ", where you are not signed in. "
                    <A href=href>"Sign in to " {region.to_string()}</A>
                </p>
            }
            .into_any()
        }
        Ok((region, id)) => view! { <AccountView region id /> }.into_any(),
    }
}

#[component]
fn AccountView(region: RegionId, id: AccountId) -> impl IntoView {
    let transport = use_transport();
    let session = use_session();
    let region_name = use_config()
        .region(&region)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let own = session.credentials(&region);
    let is_root = own.as_ref().and_then(|c| c.account.as_ref()) == Some(&id);
    let own_login = own.as_ref().map(|c| c.login.clone()).unwrap_or_default();
    let my_role: Option<Role> = own.and_then(|c| c.role);

    let details = {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        crate::resource::Loaded::new(move || {
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            async move { load_details(&transport, &region, &id).await }
        })
    };
    let ancestors = {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        crate::resource::Loaded::new(move || {
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            async move { load_ancestors(&transport, &region, &id).await }
        })
    };
    let children = {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        crate::resource::Loaded::new(move || {
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            async move { transport.call(&region, &ListChildren(id)).await }
        })
    };
    // A shared link: open the tree down to this account.
    {
        let (transport, region) = (transport.clone(), region.clone());
        let store = crate::tree::load::use_tree();
        Effect::new(move |_| {
            if let Some(list) = ancestors.get() {
                let path: Vec<AccountId> = list.into_iter().map(|a| a.id).collect();
                if !path.is_empty() {
                    leptos::task::spawn_local(crate::tree::load::reveal(
                        store,
                        transport.clone(),
                        region.clone(),
                        path,
                    ));
                }
            }
        });
    }
    let done = RwSignal::new(String::new());
    let refresh = Callback::new(move |_: ()| {
        details.refetch();
        ancestors.refetch();
        children.refetch();
    });

    let crumbs = {
        let (region, id) = (region.clone(), id.clone());
        move || {
            let id = id.clone();
            let list = ancestors.get().unwrap_or_default();
            (!list.is_empty()).then(|| {
                let items = list
                    .into_iter()
                    .map(|a| view! { <li><A href=format!("/accounts/{region}/{}", a.id)>{a.name}</A></li> })
                    .collect_view();
                view! {
                    <nav class="breadcrumbs" aria-label="Where this account sits">
                        <ol>{items}<li aria-current="page">{move || details.get().and_then(|d| d.ok()).map(|d| d.name(&id))}</li></ol>
                    </nav>
                }
            })
        }
    };

    let details_view = {
        let (region, id) = (region.clone(), id.clone());
        move || {
            // The page has its heading while it loads, too.
            let Some(result) = details.get() else {
                return view! {
                    <h1>"Account " <code>{id.to_string()}</code></h1>
                    <p class="loading" role="status">"Loading the account…"</p>
                }
                .into_any();
            };
            match result {
                Err(error) => view! {
                    <h1>"Account " <code>{id.to_string()}</code></h1>
                    <ErrorNotice error region=region.clone() retry=move |_| details.refetch() />
                }
                .into_any(),
                Ok(d) => {
                    let list = ancestors.get().unwrap_or_default();
                    view! {
                        {summary(&d, &list, &region, &region_name, &id, is_root, &own_login)}
                        <AccountActions
                            region=region.clone()
                            id=id.clone()
                            details=d.clone()
                            is_root
                            role=my_role.clone()
                            changed=refresh
                            done
                        />
                        <ExportSubtree region=region.clone() id=id.clone() name=d.name(&id) />
                        {contacts_section(&d, &region, &id, my_role.clone(), refresh)}
                        <UsersSection d=d.clone() region=region.clone() id=id.clone() role=my_role.clone() changed=refresh own_login=own_login.clone() />
                    }
                    .into_any()
                }
            }
        }
    };

    let children_view = {
        let region = region.clone();
        move || {
            let Some(result) = children.get() else {
                return view! { <p class="loading" role="status">"Loading sub-accounts…"</p> }
                    .into_any();
            };
            match result {
                Err(error) => view! { <ErrorNotice error region=region.clone() retry=move |_| children.refetch() /> }.into_any(),
                Ok(list) => children_table(&region, list).into_any(),
            }
        }
    };

    view! {
        <article class="account">
            {crumbs}
            <p role="status" class="action-done">{move || done.get()}</p>
            {details_view}
            <section aria-labelledby="children-title">
                <h2 id="children-title">"Sub-accounts"</h2>
                {children_view}
            </section>
        </article>
    }
}

fn summary(
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
                <dd><A href=format!("/accounts/{region}/{p}")>{label}</A></dd>
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

fn contacts_section(
    d: &Details,
    region: &RegionId,
    id: &AccountId,
    role: Option<Role>,
    changed: Callback<()>,
) -> impl IntoView {
    let may_edit = role.is_some_and(|r| !r.is_read_only());
    let cards = d
        .contacts
        .iter()
        .map(|c| view! { <ContactCard region=region.clone() account=id.clone() contact=c.clone() may_edit changed /> })
        .collect_view();
    view! {
        <section aria-labelledby="contacts-title">
            <h2 id="contacts-title">"Contacts"</h2>
            {match &d.contacts_error {
                // Said, never shown as "no contacts".
                Some(e) => Some(view! { <ErrorNotice error=e.clone() region=region.clone() retry=move |_| changed.run(()) /> }.into_any()),
                None if d.contacts.is_empty() => Some(view! { <p>"This account has no contacts."</p> }.into_any()),
                None => None,
            }}
            <div class="contacts">{cards}</div>
        </section>
    }
}

/// The account's users and API keys, with adding and removing for roles that may.
#[component]
fn UsersSection(
    d: Details,
    region: RegionId,
    id: AccountId,
    role: Option<Role>,
    changed: Callback<()>,
    own_login: String,
) -> impl IntoView {
    let may = super::access::may_add_access(role.as_ref(), d.kind());
    let transport = use_transport();
    let confirming = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let remove = {
        let (region, id) = (region.clone(), id.clone());
        move |name: String| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            error.set(None);
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            spawn_local(async move {
                match transport
                    .call(&region, &DeleteToken { account: id, name })
                    .await
                {
                    Ok(()) => {
                        confirming.set(None);
                        changed.run(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                pending.set(false);
            });
        }
    };
    let body = match &d.tokens {
        Err(e) => view! {
            <p>"The users could not be loaded."</p>
            <ErrorNotice error=e.clone() region=region.clone() retry=move |_| changed.run(()) />
        }
        .into_any(),
        Ok(list) if list.tokens.is_empty() => view! { <p>"No users or API keys."</p> }.into_any(),
        Ok(list) => {
            let rows = list
                .tokens
                .iter()
                .map(|t| {
                    let master = (t.role == Role::MasterAdmin).then(|| view! { <span class="mark master">"Master admin"</span> });
                    let name = t.name.clone();
                    let is_me = t.name == own_login;
                    let remove = remove.clone();
                    let action = (may && !is_me).then(|| {
                        let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
                        view! {
                            <Show
                                when=move || confirming.get().as_deref() == Some(n1.as_str())
                                fallback=move || {
                                    let n = n2.clone();
                                    view! { <button type="button" class="link" on:click=move |_| confirming.set(Some(n.clone()))>"Remove…"</button> }
                                }
                            >
                                {
                                    let (remove, n) = (remove.clone(), n3.clone());
                                    let (label, question) = (format!("Remove {n}?"), format!("Remove {n}? It can no longer sign in. "));
                                    view! {
                                        <span class="confirm" role="group" aria-label=label>
                                            {question}
                                            <button type="button" class="danger" on:click=move |_| remove(n.clone())>"Remove"</button>
                                            " "
                                            <button type="button" on:click=move |_| confirming.set(None)>"Cancel"</button>
                                        </span>
                                    }
                                }
                            </Show>
                        }
                    });
                    view! {
                        <tr>
                            <th scope="row"><code>{t.name.clone()}</code></th>
                            <td>{if t.primary { "Person" } else { "API key" }}</td>
                            <td>{t.role.label().to_owned()} " " {master}</td>
                            <td>{t.description.clone().unwrap_or_default()}</td>
                            <td>{t.created.as_deref().map(date_time).unwrap_or_default()}</td>
                            <td>{t.expires.as_deref().map_or_else(|| "Never".to_owned(), date_time)}</td>
                            <td>{action}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="users">
                    <caption>{format!("{} users and API keys", list.tokens.len())}</caption>
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Role"</th>
                        <th scope="col">"Description"</th><th scope="col">"Created"</th><th scope="col">"Expires"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
    };
    view! {
        <section aria-labelledby="users-title">
            <h2 id="users-title">"Users and API keys"</h2>
            {body}
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            {(may && crate::state::use_config().shows(partner_api::config::Page::Access)).then(|| view! {
                <p><a class="button-link" href=format!("/accounts/access?region={region}&account={id}")>"Add a user or API account"</a></p>
            })}
        </section>
    }
}

fn children_table(region: &RegionId, list: ChildList) -> impl IntoView {
    if list.children.is_empty() {
        return view! { <p>"This account has no sub-accounts."</p> }.into_any();
    }
    let count = list.children.len();
    let rows = list
        .children
        .into_iter()
        .map(|c| {
            let href = format!("/accounts/{region}/{}", c.id);
            let name = c.display_name().to_owned();
            view! {
                <tr>
                    <th scope="row"><A href=href>{name}</A></th>
                    <td>{c.email.unwrap_or_default()}</td>
                    <td><code>{c.id.to_string()}</code></td>
                    <td>{c.created.as_deref().map(date_time).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="children">
            <caption>{format!("{count} direct sub-account{}", if count == 1 { "" } else { "s" })}</caption>
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"GUID"</th><th scope="col">"Created"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
