//! The Accounts API (XML): accounts, contacts, tokens, products.

use crate::world::{Account, Denied, TokenRecord, OWN_ROLES};
use crate::{clock, enter, enter_mut, ok_text, xml_response, AppState, Fail};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use partner_api::accounts::contacts::{Contact, ContactTypes, PRIMARY_CONTACT};
use partner_api::accounts::permissions::{ListedRole, RoleList};
use partner_api::accounts::products::Portfolio;
use partner_api::accounts::tokens::{
    check_lifetime, NewCredentials, Token, TokenCreate, TokenList, TokenSecret, UpdateToken,
};
use partner_api::accounts::users::{UserCreate, UserUpdate, WhoAmI};
use partner_api::fields::Secret;
use partner_api::wire::request::accept_version;
use partner_api::{AccountKind, Role};
use std::collections::HashMap;

type Answer = Result<Response, Fail>;

fn ok_xml(body: String) -> Answer {
    Ok(xml_response(StatusCode::OK, body))
}

fn bad_body(what: &str, e: impl std::fmt::Display) -> Fail {
    Fail::BadRequest(format!("The body is not {what}: {e}"))
}

fn invalid(problems: Vec<partner_api::fields::FieldProblem>) -> Result<(), Fail> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Fail::Invalid(problems))
    }
}

/// Generated passwords carry punctuation, as the contract warns.
const PASSWORD_ALPHABET: &[u8] =
    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%&*+-=?@^_~";
const NAME_ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyz23456789";

pub async fn whoami(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (_, caller) = enter(&world, &region, &headers)?;
    ok_xml(WhoAmI { id: caller.account }.to_xml())
}

pub async fn get_account(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let mut settings = r.visible(&caller, &id)?.settings();
    let dialect = &app.options.dialect;
    // The documented settings name every account's parent; a region may leave it out for the
    // caller's own account (the parent is outside what the caller may see).
    if !dialect.own_parent && settings.id.as_ref() == Some(&caller.account) {
        settings.parent = None;
    }
    // Not among the documented settings.
    if !dialect.settings_external_id {
        settings.external_id = None;
    }
    ok_xml(settings.to_xml())
}

/// `GET /users/{id}/users`: v0 ids, v1 (and v2) rows with names; v3 rows with a nested
/// `<contact>`, and with `?all=1` the whole subtree below the account, parents before their
/// children. `X-Total-Count` counts the rows.
pub async fn list_children(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let account = r.visible(&caller, &id)?;
    let version = accept_version(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()));
    let list = if version >= 3 && q.get("all").map(String::as_str) == Some("1") {
        r.subtree(account)
    } else {
        r.children(account)
    };
    let body = match version {
        0 => list.to_xml_v0(),
        1 | 2 => list.to_xml_v1(),
        _ => list.to_xml_v3(),
    };
    let mut response = xml_response(StatusCode::OK, body);
    response.headers_mut().insert(
        HeaderName::from_static("x-total-count"),
        HeaderValue::from(list.children.len()),
    );
    Ok(response)
}

/// `POST /users/{parent}/users`.
pub async fn create_account(
    State(app): State<AppState>,
    Path((region, parent)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    caller.may_write()?;
    let parent = r.visible_id(&caller, &parent)?;
    let create = UserCreate::from_xml(&body).map_err(|e| bad_body("a user_create document", e))?;
    invalid(create.validate())?;
    let dialect = &app.options.dialect;
    if let Some(p) = &create.password {
        if p.expose().chars().count() < dialect.password_min {
            // A region's own rule, said in a sentence that names no field the portal knows.
            return Err(Fail::BadRequest(format!(
                "The password does not meet this region's password policy: use at least {} characters.",
                dialect.password_min
            )));
        }
    }

    let role = create.acl.clone().unwrap_or(Role::MasterAdmin);
    let kind = role.kind();
    if !caller.role.may_create().contains(&kind) {
        return Err(Denied::Role(match caller.role.may_create() {
            [] => format!("Your role ({}) may not create accounts.", caller.role),
            _ => format!(
                "Your role ({}) may create customer accounts only.",
                caller.role
            ),
        })
        .into());
    }
    if r.accounts[&parent].kind() != AccountKind::Partner {
        return Err(Fail::BadRequest(
            "Sub-accounts can only be created under a partner account.".into(),
        ));
    }
    // The new account's first user is a login like any other: never above its creator.
    if !caller.role.may_give(&role) {
        return Err(Denied::Role(format!(
            "Your role ({}) may not give the role {role}: it would have more rights than yours.",
            caller.role
        ))
        .into());
    }
    let limits = &app.options.limits;
    if r.created_by(&caller.name).accounts >= limits.accounts_per_login {
        return Err(Fail::Cap(format!(
            "This login has created {} accounts, as many as the sandbox lets one login create.",
            limits.accounts_per_login
        )));
    }
    if r.accounts.len() >= limits.accounts_per_region || r.logins.len() >= limits.logins_per_region
    {
        return Err(Fail::Cap(format!(
            "This region holds {} accounts and {} logins, as many as the sandbox keeps.",
            r.accounts.len(),
            r.logins.len()
        )));
    }
    if let Some(ext) = create
        .external_id
        .as_ref()
        .filter(|_| dialect.external_id_conflict)
    {
        let taken = r.accounts[&parent]
            .children
            .iter()
            .any(|c| r.accounts.get(c).and_then(|a| a.external_id.as_ref()) == Some(ext));
        if taken {
            return Err(Fail::Conflict(format!(
                "An account with external_id “{ext}” already exists under this parent."
            )));
        }
    }
    if r.logins.contains_key(&create.login) {
        return Err(Fail::Conflict(format!(
            "The login “{}” is already taken in this region.",
            create.login
        )));
    }
    if let Some(p) = create
        .product
        .as_ref()
        .filter(|p| !r.catalog.iter().any(|c| &c.id == *p))
    {
        return Err(Fail::BadRequest(format!(
            "product: There is no product “{p}” in this region."
        )));
    }

    let id = app.fresh_id(r);
    let now = clock::now_iso();
    let mut account = Account::new(id.clone(), Some(parent), now.clone());
    account.external_id = create.external_id.clone();
    account.product = create.product.clone();
    account.attributes = create.attributes.clone();
    account.contacts = vec![Contact {
        kind: PRIMARY_CONTACT.into(),
        email: create.email.clone().or_else(|| Some(create.login.clone())),
        company_name: create.company_name.clone(),
        full_name: create.full_name.clone(),
        phone: create.phone.clone(),
        zip: create.zip_code.clone(),
        country: create.country.as_deref().map(str::to_ascii_uppercase),
        language: create.language.clone(),
        ..Contact::default()
    }];
    let password = match &create.password {
        Some(p) => p.expose().to_owned(),
        None => {
            account.activation = Some(format!(
                "Activation email sent to {} at {now}",
                create.login
            ));
            app.random(32, PASSWORD_ALPHABET)
        }
    };
    account.tokens = vec![TokenRecord::new(
        Token {
            name: create.login.clone(),
            description: create.full_name.clone(),
            created: Some(now),
            primary: true,
            role,
            eacl: None,
            lifetime: None,
            expires: None,
            last_use: None,
            primary_aname: None,
        },
        &password,
    )];
    r.insert(account);
    r.created_by
        .entry(caller.name.clone())
        .or_default()
        .accounts += 1;
    app.persist(&world);
    let mut response = crate::text(StatusCode::CREATED, "Account created successfully".into());
    if let Ok(v) = HeaderValue::from_str(&format!("/{region}/users/{id}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// `PUT /users/{id}`.
pub async fn update_account(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    caller.may_write()?;
    let id = r.visible_id(&caller, &id)?;
    let update = UserUpdate::from_xml(&body).map_err(|e| bad_body("a user_update document", e))?;
    if id == caller.account && (update.enabled == Some(false) || update.parent.is_some()) {
        return Err(Denied::Role(
            "You cannot disable or move the account you are signed in to.".into(),
        )
        .into());
    }
    if let Some(p) = update
        .product
        .as_ref()
        .filter(|p| !p.is_empty() && !r.catalog.iter().any(|c| &c.id == *p))
    {
        return Err(Fail::BadRequest(format!(
            "product: There is no product “{p}” in this region."
        )));
    }
    if let Some(new_parent) = &update.parent {
        let new_parent = r.visible_id(&caller, new_parent.as_str())?;
        r.move_account(&id, &new_parent).map_err(Fail::BadRequest)?;
    }
    let account = r.accounts.get_mut(&id).expect("visible");
    if let Some(e) = update.enabled {
        account.enabled = e;
        if e {
            account.deletion = None;
        }
    }
    if let Some(s) = update.subscribed {
        account.subscribed = s;
    }
    if let Some(p) = update.product {
        account.product = (!p.is_empty()).then_some(p);
    }
    if let Some(x) = update.external_id {
        account.external_id = Some(x);
    }
    if let Some(g) = update.grace_expires {
        account.grace_expires = Some(g);
    }
    app.persist(&world);
    Ok(ok_text("Account updated successfully"))
}

/// `DELETE /users/{id}`: the whole subtree, or a scheduled deletion where the account has a
/// retention period.
pub async fn delete_account(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    caller.may_write()?;
    let id = r.visible_id(&caller, &id)?;
    if id == caller.account {
        return Err(
            Denied::Role("You cannot delete the account you are signed in to.".into()).into(),
        );
    }
    let account = r.accounts.get_mut(&id).expect("visible");
    if let Some(days) = account.retention_days {
        account.deletion = Some(clock::iso(clock::unix_now() + i64::from(days) * 86_400));
    } else {
        r.remove_subtree(&id);
    }
    app.persist(&world);
    Ok(ok_text("Account deleted successfully"))
}

pub async fn contact_types(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let account = r.visible(&caller, &id)?;
    ok_xml(
        ContactTypes {
            types: account.contacts.iter().map(|c| c.kind.clone()).collect(),
        }
        .to_xml(),
    )
}

pub async fn get_contact(
    State(app): State<AppState>,
    Path((region, id, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let account = r.visible(&caller, &id)?;
    match account.contacts.iter().find(|c| c.kind == kind) {
        Some(c) => ok_xml(c.to_xml()),
        None => Err(Fail::NotFound(format!(
            "The account has no contact of type “{kind}”."
        ))),
    }
}

/// `POST /users/{id}/contacts/`.
pub async fn add_contact(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    caller.may_write()?;
    let id = r.visible_id(&caller, &id)?;
    let contact = Contact::from_xml(&body).map_err(|e| bad_body("a contact document", e))?;
    invalid(contact.validate())?;
    let account = r.accounts.get_mut(&id).expect("visible");
    if account.contacts.iter().any(|c| c.kind == contact.kind) {
        return Err(Fail::Conflict(format!(
            "The account already has a contact of type “{}”.",
            contact.kind
        )));
    }
    let most = app.options.limits.contacts_per_account;
    if account.contacts.len() >= most {
        return Err(Fail::Cap(format!(
            "The account has {most} contacts, as many as the sandbox keeps on one account."
        )));
    }
    account.contacts.push(contact);
    app.persist(&world);
    Ok(crate::text(
        StatusCode::CREATED,
        "Contact created successfully".into(),
    ))
}

/// `PUT /users/{id}/contacts/{type}`.
pub async fn update_contact(
    State(app): State<AppState>,
    Path((region, id, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    caller.may_write()?;
    let id = r.visible_id(&caller, &id)?;
    let mut contact = Contact::from_xml(&body).map_err(|e| bad_body("a contact document", e))?;
    contact.kind = kind.clone();
    invalid(contact.validate())?;
    let account = r.accounts.get_mut(&id).expect("visible");
    match account.contacts.iter_mut().find(|c| c.kind == kind) {
        Some(existing) => *existing = contact,
        None => {
            return Err(Fail::NotFound(format!(
                "The account has no contact of type “{kind}”."
            )))
        }
    }
    app.persist(&world);
    Ok(ok_text("Contact updated successfully"))
}

pub async fn list_tokens(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let account = r.visible(&caller, &id)?;
    ok_xml(
        TokenList {
            tokens: account.tokens.iter().map(|t| t.token.clone()).collect(),
        }
        .to_xml(),
    )
}

/// `POST /users/{id}/tokens/`: a person's login or an API key.
pub async fn create_token(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    caller.may_write()?;
    let id = r.visible_id(&caller, &id)?;
    let create = TokenCreate::from_xml(&body).map_err(|e| bad_body("a token document", e))?;
    invalid(create.validate())?;
    given(&caller.role, &create.role, r.accounts[&id].kind())?;
    let (name, password) = match &create.secret {
        TokenSecret::Chosen { name, password } => (name.clone(), password.expose().to_owned()),
        TokenSecret::Generated => loop {
            let name = format!("key-{}", app.random(12, NAME_ALPHABET));
            if !r.logins.contains_key(&name) {
                break (name, app.random(32, PASSWORD_ALPHABET));
            }
        },
    };
    if r.logins.contains_key(&name) {
        return Err(Fail::Conflict(format!(
            "A user or key named “{name}” already exists in this region."
        )));
    }
    let limits = &app.options.limits;
    if r.created_by(&caller.name).tokens >= limits.tokens_per_login {
        return Err(Fail::Cap(format!(
            "This login has created {} users and keys, as many as the sandbox lets one login create.",
            limits.tokens_per_login
        )));
    }
    if r.accounts[&id].tokens.len() >= limits.tokens_per_account {
        return Err(Fail::Cap(format!(
            "The account has {} users and keys, as many as the sandbox keeps on one account.",
            limits.tokens_per_account
        )));
    }
    if r.logins.len() >= limits.logins_per_region {
        return Err(Fail::Cap(format!(
            "This region holds {} users and keys, as many as the sandbox keeps.",
            r.logins.len()
        )));
    }
    let now = clock::now_iso();
    // A lifetime also sets the expiry (the core's reading of the period, checked: a
    // lifetime past 100 years was refused by `validate` above).
    let expires = match (&create.expires, &create.lifetime) {
        (Some(e), _) => Some(e.clone()),
        (None, Some(l)) => {
            let seconds = check_lifetime(l)
                .ok()
                .and_then(|s| i64::try_from(s).ok())
                .and_then(|s| clock::unix_now().checked_add(s))
                .ok_or_else(|| Fail::BadRequest(format!("lifetime: “{l}” is too long.")))?;
            Some(clock::iso(seconds))
        }
        (None, None) => None,
    };
    let account = r.accounts.get_mut(&id).expect("visible");
    account.tokens.push(TokenRecord::new(
        Token {
            name: name.clone(),
            description: Some(create.description.clone()),
            created: Some(now),
            primary: create.primary,
            role: create.role.clone(),
            eacl: None,
            lifetime: create.lifetime.clone(),
            expires,
            last_use: None,
            // A secondary token is listed with the login that made it.
            primary_aname: (!create.primary).then(|| caller.name.clone()),
        },
        &password,
    ));
    r.logins.insert(name.clone(), id);
    r.created_by.entry(caller.name.clone()).or_default().tokens += 1;
    app.persist(&world);
    // Generated credentials come back when the client asks for v1, as in the documented
    // example; without it this sandbox answers an empty 201 (its choice, docs/partner-api.md),
    // so a client that forgets the header loses the password here, not on a real region.
    let asks_v1 = accept_version(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())) >= 1;
    if create.secret == TokenSecret::Generated && !asks_v1 {
        return Ok(xml_response(StatusCode::CREATED, String::new()));
    }
    Ok(xml_response(
        StatusCode::CREATED,
        NewCredentials {
            name,
            password: Secret(password),
        }
        .to_xml(),
    ))
}

/// `HEAD /users/{id}/tokens?aname=NAME`: 202 when no user or key in the region has that
/// name, 409 when one has.
pub async fn probe_token_name(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    r.visible_id(&caller, &id)?;
    let name = q
        .get("aname")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Fail::BadRequest("aname: Say which name to look for.".into()))?;
    let status = if r.logins.contains_key(name) {
        StatusCode::CONFLICT
    } else {
        StatusCode::ACCEPTED
    };
    Ok(crate::text(status, String::new()))
}

/// `PUT /users/{id}/tokens/{aname}` with a `<token_update>`: a user's or key's role changed,
/// never to more than the caller's own (`Role::may_give`).
pub async fn update_token(
    State(app): State<AppState>,
    Path((region, id, name)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    caller.may_write()?;
    let id = r.visible_id(&caller, &id)?;
    let role =
        UpdateToken::role_from_xml(&body).map_err(|e| bad_body("a token_update document", e))?;
    if !r.accounts[&id].tokens.iter().any(|t| t.token.name == name) {
        return Err(Fail::NotFound(format!(
            "The account has no user or key named “{name}”."
        )));
    }
    if let Some(role) = &role {
        if name == caller.name {
            return Err(Fail::Conflict(
                "You cannot change the role of the login you are signed in with.".into(),
            ));
        }
        given(&caller.role, role, r.accounts[&id].kind())?;
    }
    let account = r.accounts.get_mut(&id).expect("visible");
    if let (Some(role), Some(t)) = (
        role,
        account.tokens.iter_mut().find(|t| t.token.name == name),
    ) {
        t.token.role = role;
    }
    app.persist(&world);
    Ok(ok_text("Successfully updated access token."))
}

/// Whether `giver` may give `role` to a user or key on an account of `kind`: a partner role
/// only on a partner account (400), and never more than the giver's own (403).
fn given(giver: &Role, role: &Role, kind: AccountKind) -> Result<(), Fail> {
    if role.is_partner() && kind != AccountKind::Partner {
        return Err(Fail::BadRequest(format!(
            "acl: The partner role {role} can only be given on a partner account."
        )));
    }
    if !giver.may_give(role) {
        return Err(Denied::Role(format!(
            "Your role ({giver}) may not give the role {role}: it would have more rights than yours."
        ))
        .into());
    }
    Ok(())
}

/// `GET /users/{id}/permissions/roles/`: the roles this region offers on the account, by its
/// kind, and the region's own roles ([`OWN_ROLES`], which the contract does not name).
pub async fn list_roles(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let kind = r.visible(&caller, &id)?.kind();
    let roles = Role::known()
        .filter(|role| role.kind() == kind)
        .chain(OWN_ROLES.iter().map(|n| Role::parse(n)))
        .map(|role| ListedRole {
            role,
            acl: String::new(),
        })
        .collect();
    ok_xml(RoleList { roles }.to_xml())
}

/// `DELETE /users/{id}/tokens/{aname}`.
pub async fn delete_token(
    State(app): State<AppState>,
    Path((region, id, name)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Answer {
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    caller.may_write()?;
    let id = r.visible_id(&caller, &id)?;
    if name == caller.name {
        return Err(Fail::Conflict(
            "You cannot remove the login you are signed in with.".into(),
        ));
    }
    let account = r.accounts.get_mut(&id).expect("visible");
    let before = account.tokens.len();
    account.tokens.retain(|t| t.token.name != name);
    if account.tokens.len() == before {
        return Err(Fail::NotFound(format!(
            "The account has no user or key named “{name}”."
        )));
    }
    r.logins.remove(&name);
    app.persist(&world);
    Ok(ok_text("Token deleted successfully"))
}

pub async fn get_product(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let id = r.visible_id(&caller, &id)?;
    match r.effective_product(&id) {
        Some(p) => ok_xml(p.to_xml()),
        None => Err(Fail::NotFound(
            "Neither this account nor any account above it has a product.".into(),
        )),
    }
}

pub async fn get_portfolio(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let account = r.visible(&caller, &id)?;
    let products = if account.kind() == AccountKind::Partner {
        r.catalog.clone()
    } else {
        Vec::new()
    };
    ok_xml(Portfolio { products }.to_xml())
}
