//! Properties over random trees and random tokens: an answer never contains an account
//! outside the token's subtree; a write aimed outside it is a 403 that changes nothing; and
//! a user or key is never given a role above its giver's.

mod common;

use common::send;
use partner_api::accounts::children::ChildList;
use partner_api::accounts::contacts::{AddContact, UpdateContact};
use partner_api::accounts::contacts::{Contact, PRIMARY_CONTACT};
use partner_api::accounts::tokens::Token;
use partner_api::accounts::tokens::{
    CreateToken, DeleteToken, TokenCreate, TokenSecret, UpdateToken,
};
use partner_api::accounts::users::{
    CreateAccount, DeleteAccount, UpdateAccount, UserCreate, UserUpdate,
};
use partner_api::fields::Secret;
use partner_api::wire::auth::basic_authorization;
use partner_api::{AccountId, Call, Role};
use partner_sandbox::world::{Account, Region, TokenRecord};
use partner_sandbox::{AppState, Options, Seed, World};
use proptest::prelude::*;

/// A tree of `parents.len() + 1` accounts: account i+1 hangs under `parents[i] % (i+1)`.
fn world(parents: &[usize]) -> (World, Vec<AccountId>) {
    let mut region = Region::default();
    let mut rng = partner_sandbox::seed::Rng::new(&format!("{parents:?}"));
    let mut ids: Vec<AccountId> = Vec::new();
    for i in 0..=parents.len() {
        let id = rng.account_id();
        let parent = (i > 0).then(|| ids[parents[i - 1] % i].clone());
        let mut a = Account::new(id.clone(), parent, "2024-01-01T00:00:00Z".into());
        a.contacts.push(Contact {
            kind: PRIMARY_CONTACT.into(),
            company_name: Some(format!("Company {i}")),
            ..Contact::default()
        });
        a.tokens.push(TokenRecord {
            token: Token {
                name: format!("u{i}"),
                description: None,
                created: None,
                primary: true,
                role: Role::PartnerParent,
                eacl: None,
                lifetime: None,
                expires: None,
                last_use: None,
                primary_aname: None,
            },
            password: "pw".into(),
        });
        region.insert(a);
        ids.push(id);
    }
    let mut w = World::empty();
    w.regions.insert("dk-co".into(), region);
    (w, ids)
}

fn within(w: &World, ancestor: &AccountId, id: &AccountId) -> bool {
    w.regions["dk-co"].is_within(ancestor, id)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn answers_stay_inside_the_callers_subtree(
        parents in proptest::collection::vec(any::<usize>(), 1..25),
        caller in any::<usize>(),
        targets in proptest::collection::vec(any::<usize>(), 1..6),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (w, ids) = world(&parents);
            let caller = caller % ids.len();
            let me = ids[caller].clone();
            let app = AppState::new(w.clone(), Options::new(Seed::None));
            let auth = basic_authorization(&format!("u{caller}"), "pw");
            let h = [("authorization", auth.as_str()), ("accept", "application/vnd.keepit.v1+xml")];
            for t in targets {
                let target = &ids[t % ids.len()];
                let inside = within(&w, &me, target);
                for path in ["", "/users", "/tokens/", "/contacts", "/contacts/p", "/product", "/portfolio"] {
                    let r = send(&app, "GET", &format!("/dk-co/users/{target}{path}"), &h, None).await;
                    if inside {
                        prop_assert!(r.status == 200 || (path == "/product" && r.status == 404), "{path}: {}", r.status);
                    } else {
                        prop_assert_eq!(r.status, 403, "{} outside the subtree answered {}", path, r.status);
                        prop_assert!(!r.body.contains(target.as_str()));
                    }
                    // Whatever came back names no account outside the subtree, but the
                    // caller's own parent in its own settings, as the documented settings
                    // name every account's parent.
                    let own_parent = w.regions["dk-co"].accounts[&me].parent.clone();
                    for other in &ids {
                        let documented = path.is_empty() && *target == me && own_parent.as_ref() == Some(other);
                        if !within(&w, &me, other) && !documented {
                            prop_assert!(!r.body.contains(other.as_str()), "{} leaked {}", path, other);
                        }
                    }
                }
                if inside {
                    let r = send(&app, "GET", &format!("/dk-co/users/{target}/users"), &h, None).await;
                    for c in ChildList::from_xml(&r.body).unwrap().children {
                        prop_assert!(within(&w, &me, &c.id));
                    }
                }
            }
            Ok(())
        })?;
    }
}

/// Sends a typed call's request as `auth` and returns the raw answer.
async fn raw<C: Call>(app: &AppState, auth: &str, c: &C) -> partner_api::Response {
    let r = c.request();
    let mut headers: Vec<(&str, &str)> = vec![("authorization", auth)];
    for (k, v) in &r.headers {
        headers.push((k, v));
    }
    let uri = format!("/dk-co{}{}", r.family.root_path(), r.path_and_query());
    send(app, r.method.as_str(), &uri, &headers, r.body.clone()).await
}

fn contact(kind: &str) -> Contact {
    Contact {
        kind: kind.into(),
        email: Some("someone@x.example".into()),
        ..Contact::default()
    }
}

fn key(name: String, role: Role) -> TokenCreate {
    TokenCreate {
        role,
        description: "RMM".into(),
        secret: TokenSecret::Chosen {
            name,
            password: Secret("a-long-enough-password".into()),
        },
        lifetime: None,
        expires: None,
        primary: false,
        single_use: false,
        responsibilities: vec![],
    }
}

const WRITING_ROLES: [Role; 6] = [
    Role::PartnerParent,
    Role::Reseller,
    Role::MspPartner,
    Role::ResellerLimitedAdmin,
    Role::MspSupport,
    Role::MasterAdmin,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn writes_outside_the_callers_subtree_are_403s_that_change_nothing(
        parents in proptest::collection::vec(any::<usize>(), 1..25),
        caller in any::<usize>(),
        role in 0..WRITING_ROLES.len(),
        targets in proptest::collection::vec(any::<usize>(), 1..6),
        given in proptest::collection::vec(0..15usize, 1..4),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (mut w, ids) = world(&parents);
            let caller = caller % ids.len();
            let me = ids[caller].clone();
            let caller_role = WRITING_ROLES[role].clone();
            w.regions.get_mut("dk-co").unwrap().accounts.get_mut(&me).unwrap().tokens[0].token.role = caller_role.clone();
            let app = AppState::new(w.clone(), Options::new(Seed::None));
            let auth = basic_authorization(&format!("u{caller}"), "pw");
            let snapshot = |app: &AppState| {
                let app = app.clone();
                // Everything but the audit log, where each refusal is recorded.
                async move {
                    let mut v = serde_json::to_value(&*app.world.read().await).unwrap();
                    for r in v["regions"].as_object_mut().unwrap().values_mut() {
                        r.as_object_mut().unwrap().remove("audit");
                    }
                    v
                }
            };
            for (n, t) in targets.iter().enumerate() {
                let i = t % ids.len();
                let target = ids[i].clone();
                if within(&w, &me, &target) {
                    continue;
                }
                let before = snapshot(&app).await;
                let answers = vec![
                    ("disable", raw(&app, &auth, &UpdateAccount { id: target.clone(), update: UserUpdate { enabled: Some(false), ..UserUpdate::default() } }).await),
                    ("move it", raw(&app, &auth, &UpdateAccount { id: target.clone(), update: UserUpdate { parent: Some(me.clone()), ..UserUpdate::default() } }).await),
                    ("delete", raw(&app, &auth, &DeleteAccount(target.clone())).await),
                    ("create under", raw(&app, &auth, &CreateAccount { parent: target.clone(), account: UserCreate { login: format!("new{n}@x.example"), ..UserCreate::default() } }).await),
                    ("add contact", raw(&app, &auth, &AddContact { account: target.clone(), contact: contact("Technical") }).await),
                    ("edit contact", raw(&app, &auth, &UpdateContact { account: target.clone(), contact: contact(PRIMARY_CONTACT) }).await),
                    ("add key", raw(&app, &auth, &CreateToken { account: target.clone(), token: key(format!("k{n}"), Role::ReadOnlyMspPartner) }).await),
                    ("change role", raw(&app, &auth, &UpdateToken { account: target.clone(), name: format!("u{i}"), role: Role::ReadOnlyMspPartner }).await),
                    ("remove key", raw(&app, &auth, &DeleteToken { account: target.clone(), name: format!("u{i}") }).await),
                ];
                for (what, r) in answers {
                    prop_assert_eq!(r.status, 403, "{} outside the subtree answered {}: {}", what, r.status, r.body);
                    prop_assert!(r.body.contains("outside your account's subtree"), "{}: {}", what, r.body);
                }
                // Nor can the caller's own accounts be moved there.
                if let Some(mine) = ids.iter().find(|a| **a != me && within(&w, &me, a)) {
                    let r = raw(&app, &auth, &UpdateAccount { id: mine.clone(), update: UserUpdate { parent: Some(target.clone()), ..UserUpdate::default() } }).await;
                    prop_assert_eq!(r.status, 403, "a move under an account outside answered {}: {}", r.status, r.body);
                }
                prop_assert_eq!(snapshot(&app).await, before, "a refused write changed the world");
                let w = app.world.read().await;
                let last = &w.regions["dk-co"].audit.back().unwrap().record;
                prop_assert!(!last.allowed && !last.succeeded, "the refusal is in the audit log");
            }
            // Inside the subtree, a key gets a role only if the caller may give it, and none
            // is ever above the caller's own.
            let known: Vec<Role> = Role::known().collect();
            for (n, g) in given.iter().enumerate() {
                let role = known[g % known.len()].clone();
                let r = raw(&app, &auth, &CreateToken { account: me.clone(), token: key(format!("g{n}"), role.clone()) }).await;
                let on_customer = role.is_partner() && !caller_role.is_partner();
                let expected = if on_customer {
                    400
                } else if caller_role.may_give(&role) {
                    201
                } else {
                    403
                };
                prop_assert_eq!(r.status, expected, "{} giving {}: {}", caller_role, role, r.body);
            }
            let w = app.world.read().await;
            for t in &w.regions["dk-co"].accounts[&me].tokens {
                prop_assert!(caller_role.may_give(&t.token.role) || t.token.name == format!("u{caller}"), "{} holds {}", t.token.name, t.token.role);
            }
            Ok(())
        })?;
    }
}
