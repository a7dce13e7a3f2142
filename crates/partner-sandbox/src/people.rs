//! The Enterprise API's people: plans, groups and users (with their devices; their shares
//! are the brand's shares, [`crate::world::Enterprise::shares`], by owner).
//!
//! Semantics (docs/partner-api.md): a user's quota (`storage_bytes`) is its plan's storage
//! plus its bonus, and the sum of every user's quota is the partner's `bytes_allocated`,
//! which may not pass `bytes_available` where the partner has a figure (402, with
//! `short_by`). Usernames and emails are unique across the brand, case aside. A group with
//! users is deleted only with `move_to`.

use crate::enterprise::{bad, done, invalid, json_ok, partner, read};
use crate::world::{Enterprise, People, Person};
use crate::{clock, enter_mut, AppState, Fail};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use partner_api::enterprise::groups::{Group, GroupEdit, NewGroup};
use partner_api::enterprise::shares::Share;
use partner_api::enterprise::users::{NewUser, SearchBy, User, UserEdit, UserOrder};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

type Answer = Result<Response, Fail>;

/// At most this many users per partner: a shared sandbox stays small.
pub const MAX_USERS: usize = 200_000;
/// At most this many groups per partner.
pub const MAX_GROUPS: usize = 1_000;
/// Activation emails kept per partner (the oldest go first).
pub const MAX_EMAILS_KEPT: usize = 1_000;

/// 402 when growing the allocation by `more` would pass what the partner has; `Ok` where it
/// has no figure.
fn fits(e: &Enterprise, less: u64, more: u64) -> Result<(), Fail> {
    let Some(available) = e.bytes_available.filter(|b| *b > 0) else {
        return Ok(());
    };
    let after = e
        .people
        .allocated()
        .saturating_sub(less)
        .saturating_add(more);
    if after <= available {
        return Ok(());
    }
    Err(Fail::Json(
        StatusCode::PAYMENT_REQUIRED,
        json!({
            "reason": "Not enough storage space available to accommodate the user.",
            "short_by": after - available,
        }),
    ))
}

fn conflict(reason: &str, fields: &[&str]) -> Fail {
    Fail::Json(
        StatusCode::CONFLICT,
        json!({ "reason": reason, "conflicts": fields }),
    )
}

fn not_found(what: String) -> Fail {
    Fail::Json(StatusCode::NOT_FOUND, json!({ "reason": what }))
}

fn body<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, Fail> {
    serde_json::from_str(text).map_err(|e| bad(format!("The body is not {what}: {e}"), &[]))
}

/// Runs a write on the caller's enterprise data and saves.
async fn write<T>(
    app: &AppState,
    region: &str,
    headers: &HeaderMap,
    f: impl FnOnce(&mut Enterprise) -> Result<T, Fail>,
) -> Result<T, Fail> {
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, region, headers)?;
    partner(app, r, &caller)?;
    caller.may_write()?;
    let e = r.enterprise_of(&caller.account);
    let out = f(e)?;
    e.bytes_allocated = e.people.allocated();
    app.persist(&world);
    Ok(out)
}

/// `GET /plans`.
pub async fn plans(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
) -> Answer {
    json_ok(&read(&app, &region, &headers, |e| e.people.plans.clone()).await?)
}

/// `GET /groups/?search=`.
pub async fn groups(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    let search = q.get("search").map(|s| s.trim().to_lowercase());
    let list = read(&app, &region, &headers, |e| {
        e.people
            .groups
            .iter()
            .filter(|g| {
                search
                    .as_deref()
                    .is_none_or(|s| g.name.to_lowercase().contains(s))
            })
            .cloned()
            .collect::<Vec<_>>()
    })
    .await?;
    json_ok(&list)
}

/// `POST /groups/`: 201 with `Location: groups/{id}`.
pub async fn create_group(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
    text: String,
) -> Answer {
    let new: NewGroup = body(&text, "a JSON group")?;
    invalid(&new.validate())?;
    let id = write(&app, &region, &headers, |e| {
        let p = &mut e.people;
        let name = new.name.trim();
        if p.groups.iter().any(|g| g.name.eq_ignore_ascii_case(name)) {
            return Err(conflict(
                "The following fields conflict with an existing record",
                &["name"],
            ));
        }
        if p.plan(new.plan_id).is_none() {
            return Err(conflict(
                "Invalid values for the following fields",
                &["plan_id"],
            ));
        }
        if p.groups.len() >= MAX_GROUPS {
            return Err(bad(
                format!("A partner has at most {MAX_GROUPS} groups."),
                &[],
            ));
        }
        p.next_group_id += 1;
        let id = p.next_group_id;
        p.groups.push(Group {
            group_id: id,
            name: name.to_owned(),
            plan_id: new.plan_id,
            webapi_enable: new.webapi_enable,
            check_domain: new.check_domain,
        });
        Ok(id)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("groups/{id}"))],
    )
        .into_response())
}

fn group_id(text: &str) -> Result<i64, Fail> {
    text.parse()
        .map_err(|_| not_found(format!("No group {text}.")))
}

/// `GET /groups/{id}`: Group Info.
pub async fn get_group(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let id = group_id(&id)?;
    let g = read(&app, &region, &headers, |e| e.people.group(id).cloned()).await?;
    json_ok(&g.ok_or_else(|| not_found(format!("No group {id}.")))?)
}

/// `POST /groups/{id}`: any of the fields. A new plan is every user's of the group; it is
/// refused (409 naming `avatars_over_quota`) when a user would store more than its new
/// quota, unless `force`; and (402) when the pool cannot hold the new quotas.
pub async fn edit_group(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
    text: String,
) -> Answer {
    let id = group_id(&id)?;
    let edit: GroupEdit = body(&text, "a JSON group")?;
    invalid(&edit.validate())?;
    write(&app, &region, &headers, |e| {
        let p = &e.people;
        let Some(old) = p.group(id).cloned() else {
            return Err(not_found(format!("No group {id}.")));
        };
        if let Some(name) = edit.name.as_deref().map(str::trim) {
            if p.groups
                .iter()
                .any(|g| g.group_id != id && g.name.eq_ignore_ascii_case(name))
            {
                return Err(conflict(
                    "The following fields conflict with an existing record",
                    &["name"],
                ));
            }
        }
        if let Some(plan) = edit.plan_id.filter(|p| *p != old.plan_id) {
            if p.plan(plan).is_none() {
                return Err(conflict(
                    "Invalid values for the following fields",
                    &["plan_id"],
                ));
            }
            let members: Vec<usize> = (0..p.users.len())
                .filter(|i| p.users[*i].user.group_id == Some(id))
                .collect();
            let before: u64 = members.iter().map(|i| p.users[*i].user.storage_bytes).sum();
            let after: u64 = members
                .iter()
                .map(|i| p.quota(Some(plan), p.users[*i].user.bonus_bytes))
                .sum();
            let over = members.iter().any(|i| {
                let u = &p.users[*i].user;
                u.bytes_stored > p.quota(Some(plan), u.bonus_bytes)
            });
            if over && !edit.force {
                return Err(conflict(
                    "Users of this group would be over their storage quota.",
                    &["avatars_over_quota"],
                ));
            }
            fits(e, before, after)?;
            let p = &mut e.people;
            for i in members {
                let bonus = p.users[i].user.bonus_bytes;
                let quota = p.quota(Some(plan), bonus);
                let u = &mut p.users[i].user;
                u.plan_id = Some(plan);
                u.storage_bytes = quota;
            }
        }
        let g = e
            .people
            .groups
            .iter_mut()
            .find(|g| g.group_id == id)
            .expect("looked up above");
        if let Some(n) = &edit.name {
            g.name = n.trim().to_owned();
        }
        if let Some(p) = edit.plan_id {
            g.plan_id = p;
        }
        if let Some(w) = edit.webapi_enable {
            g.webapi_enable = w;
        }
        if let Some(c) = edit.check_domain {
            g.check_domain = c;
        }
        Ok(())
    })
    .await?;
    done(&app, json!({}))
}

/// `DELETE /groups/{id}?move_to={id}`: a group with users is deleted only when they can
/// move (409 otherwise); they take the new group's plan (402 if the pool cannot hold it).
pub async fn delete_group(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    let id = group_id(&id)?;
    let move_to = match q.get("move_to") {
        None => None,
        Some(t) => Some(
            t.parse::<i64>()
                .map_err(|_| bad("move_to must be a group id.", &["move_to"]))?,
        ),
    };
    write(&app, &region, &headers, |e| {
        let p = &e.people;
        if p.group(id).is_none() {
            return Err(not_found(format!("No group {id}.")));
        }
        let members: Vec<usize> = (0..p.users.len())
            .filter(|i| p.users[*i].user.group_id == Some(id))
            .collect();
        if let Some(to) = move_to {
            let Some(target) = p.group(to).filter(|_| to != id) else {
                return Err(conflict(
                    "Invalid values for the following fields",
                    &["move_to"],
                ));
            };
            let plan = target.plan_id;
            let before: u64 = members.iter().map(|i| p.users[*i].user.storage_bytes).sum();
            let after: u64 = members
                .iter()
                .map(|i| p.quota(Some(plan), p.users[*i].user.bonus_bytes))
                .sum();
            fits(e, before, after)?;
            let p = &mut e.people;
            for i in members {
                let quota = p.quota(Some(plan), p.users[i].user.bonus_bytes);
                let u = &mut p.users[i].user;
                u.group_id = Some(to);
                u.plan_id = Some(plan);
                u.storage_bytes = quota;
            }
        } else if !members.is_empty() {
            return Err(conflict(
                &format!(
                    "The group has {} users: choose a group to move them to (move_to).",
                    members.len()
                ),
                &["move_to"],
            ));
        }
        e.people.groups.retain(|g| g.group_id != id);
        Ok(())
    })
    .await?;
    done(&app, json!({}))
}

/// The users a query selects, in its order. 400 for an `order_by` or `search_by` the
/// sandbox does not know, or a filter that is not a number.
fn select<'p>(p: &'p People, q: &HashMap<String, String>) -> Result<Vec<&'p User>, Fail> {
    let search = q
        .get("search")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let by = match q.get("search_by") {
        None => SearchBy::Any,
        Some(b) => SearchBy::from_param(b)
            .ok_or_else(|| bad("search_by must be name, email or username.", &["search_by"]))?,
    };
    let number = |k: &str| -> Result<Option<i64>, Fail> {
        q.get(k)
            .map(|v| {
                v.parse()
                    .map_err(|_| bad(format!("{k} must be a number."), &[k]))
            })
            .transpose()
    };
    let (group, plan) = (number("group_id")?, number("plan_id")?);
    let enabled = match q.get("enabled").map(String::as_str) {
        None => None,
        Some("1") => Some(true),
        Some("0") => Some(false),
        Some(_) => return Err(bad("enabled must be 1 or 0.", &["enabled"])),
    };
    let mut users: Vec<&User> = p
        .users
        .iter()
        .map(|p| &p.user)
        .filter(|u| {
            search.as_deref().is_none_or(|s| {
                let has = |t: &str| t.to_lowercase().contains(s);
                match by {
                    SearchBy::Any => has(&u.name) || has(&u.email) || has(&u.username),
                    SearchBy::Name => has(&u.name),
                    SearchBy::Email => has(&u.email),
                    SearchBy::Username => has(&u.username),
                }
            }) && group.is_none_or(|g| u.group_id == Some(g))
                && plan.is_none_or(|pl| u.plan_id == Some(pl))
                && enabled.is_none_or(|en| u.enabled == en)
        })
        .collect();
    if let Some(o) = q.get("order_by") {
        let (order, descending) = UserOrder::from_param(o)
            .ok_or_else(|| bad(format!("order_by cannot be “{o}”."), &["order_by"]))?;
        users.sort_by(|a, b| {
            let c = match order {
                UserOrder::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
                UserOrder::Email => a.email.to_lowercase().cmp(&b.email.to_lowercase()),
                UserOrder::Username => a.username.cmp(&b.username),
                UserOrder::BytesStored => a.bytes_stored.cmp(&b.bytes_stored),
                UserOrder::CreationTime => a.creation_time.cmp(&b.creation_time),
                UserOrder::LastLogin => a.last_login.cmp(&b.last_login),
            };
            // Ties keep a stable order, so pages never repeat or skip a user.
            let c = c.then_with(|| a.avatar_id.cmp(&b.avatar_id));
            if descending {
                c.reverse()
            } else {
                c
            }
        });
    }
    Ok(users)
}

/// `GET /users/` with `search`, `search_by`, `order_by`, the field filters, `limit` and
/// `offset`; `?action=user_count` answers `{"user_count": N}` for the same selection.
pub async fn users(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    let page = |k: &str| -> Result<Option<usize>, Fail> {
        q.get(k)
            .map(|v| {
                v.parse()
                    .map_err(|_| bad(format!("{k} must be a whole number."), &[k]))
            })
            .transpose()
    };
    let (limit, offset) = (page("limit")?, page("offset")?.unwrap_or(0));
    let count = match q.get("action").map(String::as_str) {
        None => false,
        Some("user_count") => true,
        Some(a) => return Err(bad(format!("Unknown action “{a}”."), &["action"])),
    };
    let answer = read(&app, &region, &headers, |e| {
        let users = select(&e.people, &q)?;
        Ok::<_, Fail>(if count {
            json!({ "user_count": users.len() })
        } else {
            let rest = users.into_iter().skip(offset);
            let page: Vec<&User> = match limit {
                Some(l) => rest.take(l).collect(),
                None => rest.collect(),
            };
            serde_json::to_value(page).unwrap_or_default()
        })
    })
    .await??;
    json_ok(&answer)
}

/// What `POST /users/` reads: the documented fields, and `password_bcrypt`.
#[derive(Deserialize)]
struct UserBody {
    #[serde(flatten)]
    user: NewUser,
    #[serde(default)]
    password_bcrypt: Option<String>,
}

/// `POST /users/`: 200 `{username, temp_password}`.
pub async fn create_user(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
    text: String,
) -> Answer {
    let UserBody {
        user: new,
        password_bcrypt,
    } = body(&text, "a JSON user")?;
    invalid(&new.validate())?;
    let temp = password_bcrypt
        .is_none()
        .then(|| app.random(14, b"abcdefghijkmnopqrstuvwxyz23456789"));
    let temp = temp.map(|t| format!("{}-{}-{}", &t[..4], &t[4..9], &t[9..]));
    let made = write(&app, &region, &headers, |e| {
        let p = &mut e.people;
        let mut conflicts = Vec::new();
        if let Some(u) = &new.username {
            if p.taken("username", u.trim(), None) {
                conflicts.push("username");
            }
        }
        if p.taken("email", new.email.trim(), None) {
            conflicts.push("email");
        }
        if !conflicts.is_empty() {
            return Err(conflict(
                "The following fields conflict with an existing account",
                &conflicts,
            ));
        }
        let group = match new.group_id {
            Some(g) => Some(p.group(g).cloned().ok_or_else(|| {
                conflict("Invalid values for the following fields", &["group_id"])
            })?),
            None => None,
        };
        let plan_id = new.plan_id.or(group.as_ref().map(|g| g.plan_id));
        if plan_id.and_then(|id| p.plan(id)).is_none() {
            return Err(conflict(
                "Invalid values for the following fields",
                &["plan_id"],
            ));
        }
        if p.users.len() >= MAX_USERS {
            return Err(bad(
                format!("A partner has at most {MAX_USERS} users."),
                &[],
            ));
        }
        let bonus = new.bonus_bytes.unwrap_or(0);
        let quota = p.quota(plan_id, bonus);
        fits(e, 0, quota)?;
        let p = &mut e.people;
        let username = match &new.username {
            Some(u) => u.trim().to_owned(),
            None => loop {
                p.next_auto_username += 1;
                let u = format!("user_auto_{}", p.next_auto_username);
                if !p.taken("username", &u, None) {
                    break u;
                }
            },
        };
        p.next_avatar_id += 1;
        p.users.push(Person {
            user: User {
                avatar_id: Some(p.next_avatar_id),
                username: username.clone(),
                email: new.email.trim().to_owned(),
                name: new.name.trim().to_owned(),
                group_id: new.group_id,
                plan_id,
                enabled: true,
                bytes_stored: 0,
                storage_bytes: quota,
                bonus_bytes: bonus,
                creation_time: Some(clock::unix_now()),
                last_login: None,
            },
            devices: Vec::new(),
            password_set: password_bcrypt.is_some(),
        });
        Ok(username)
    })
    .await?;
    json_ok(&json!({ "username": made, "temp_password": temp }))
}

fn user_or_404(p: &People, key: &str) -> Result<usize, Fail> {
    p.find(key)
        .ok_or_else(|| not_found(format!("No user “{key}”.")))
}

/// `GET /users/{user}`.
pub async fn get_user(
    State(app): State<AppState>,
    Path((region, key)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let u = read(&app, &region, &headers, |e| {
        user_or_404(&e.people, &key).map(|i| e.people.users[i].user.clone())
    })
    .await??;
    json_ok(&u)
}

/// `POST /users/{user}` edits; `?action=sendactivationemail` sends the activation email
/// again (409 for a disabled user: it could not be sent).
pub async fn edit_user(
    State(app): State<AppState>,
    Path((region, key)): Path<(String, String)>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    text: String,
) -> Answer {
    match q.get("action").map(String::as_str) {
        Some("sendactivationemail") => {
            write(&app, &region, &headers, |e| {
                let i = user_or_404(&e.people, &key)?;
                let u = &e.people.users[i].user;
                if !u.enabled {
                    return Err(conflict(
                        "The user is disabled: no activation email was sent.",
                        &[],
                    ));
                }
                let to = u.email.clone();
                let sent = &mut e.people.activation_emails;
                sent.push((to, clock::unix_now()));
                if sent.len() > MAX_EMAILS_KEPT {
                    sent.remove(0);
                }
                Ok(())
            })
            .await?;
            return done(&app, json!({}));
        }
        Some(a) => return Err(bad(format!("Unknown action “{a}”."), &["action"])),
        None => {}
    }
    let edit: UserEdit = body(&text, "a JSON user")?;
    invalid(&edit.validate())?;
    write(&app, &region, &headers, |e| {
        let p = &e.people;
        let i = user_or_404(p, &key)?;
        if let Some(email) = edit.email.as_deref().map(str::trim) {
            if p.taken("email", email, Some(i)) {
                return Err(conflict(
                    "The following fields conflict with an existing account",
                    &["email"],
                ));
            }
        }
        let group = match edit.group_id {
            Some(g) => Some(p.group(g).cloned().ok_or_else(|| {
                conflict("Invalid values for the following fields", &["group_id"])
            })?),
            None => None,
        };
        let old = p.users[i].user.clone();
        // A move to another group takes that group's plan, unless a plan is given too.
        let plan_id = edit
            .plan_id
            .or(group
                .as_ref()
                .filter(|g| Some(g.group_id) != old.group_id)
                .map(|g| g.plan_id))
            .or(old.plan_id);
        if plan_id.and_then(|id| p.plan(id)).is_none() {
            return Err(conflict(
                "Invalid values for the following fields",
                &["plan_id"],
            ));
        }
        let bonus = edit.bonus_bytes.unwrap_or(old.bonus_bytes);
        let quota = p.quota(plan_id, bonus);
        fits(e, old.storage_bytes, quota)?;
        let u = &mut e.people.users[i].user;
        if let Some(n) = &edit.name {
            u.name = n.trim().to_owned();
        }
        if let Some(m) = &edit.email {
            u.email = m.trim().to_owned();
        }
        if let Some(g) = edit.group_id {
            u.group_id = Some(g);
        }
        if let Some(en) = edit.enabled {
            u.enabled = en;
        }
        u.plan_id = plan_id;
        u.bonus_bytes = bonus;
        u.storage_bytes = quota;
        Ok(())
    })
    .await?;
    done(&app, json!({}))
}

/// `DELETE /users/{user}`: its quota goes back to the pool; its shares go with it.
pub async fn delete_user(
    State(app): State<AppState>,
    Path((region, key)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    write(&app, &region, &headers, |e| {
        let i = user_or_404(&e.people, &key)?;
        let gone = e.people.users.remove(i).user;
        e.shares
            .retain(|o| !(o.email == gone.email && o.username == gone.username));
        Ok(())
    })
    .await?;
    done(&app, json!({}))
}

/// `GET /users/{user}/devices`.
pub async fn devices(
    State(app): State<AppState>,
    Path((region, key)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let d = read(&app, &region, &headers, |e| {
        user_or_404(&e.people, &key).map(|i| e.people.users[i].devices.clone())
    })
    .await??;
    json_ok(&d)
}

/// The shares of the user addressed as `key`.
fn shares_of<'e>(e: &'e Enterprise, key: &str) -> Result<Vec<&'e Share>, Fail> {
    let i = user_or_404(&e.people, key)?;
    let u = &e.people.users[i].user;
    Ok(e.shares
        .iter()
        .filter(|o| o.email.eq_ignore_ascii_case(&u.email) || o.username == u.username)
        .flat_map(|o| o.shares.iter())
        .collect())
}

/// `GET /users/{user}/shares/`.
pub async fn user_shares(
    State(app): State<AppState>,
    Path((region, key)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let s = read(&app, &region, &headers, |e| {
        shares_of(e, &key).map(|s| s.into_iter().cloned().collect::<Vec<_>>())
    })
    .await??;
    json_ok(&s)
}

/// `GET /users/{user}/shares/{room_key}`.
pub async fn user_share(
    State(app): State<AppState>,
    Path((region, key, room)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Answer {
    let s = read(&app, &region, &headers, |e| {
        shares_of(e, &key)?
            .into_iter()
            .find(|s| s.room_key == room)
            .cloned()
            .ok_or_else(|| not_found(format!("{key} has no share {room}.")))
    })
    .await??;
    json_ok(&s)
}
