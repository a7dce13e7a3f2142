//! Property: over random trees and random tokens, an answer never contains an account outside
//! the token's subtree.

mod common;

use common::send;
use partner_api::accounts::children::ChildList;
use partner_api::accounts::contacts::{Contact, PRIMARY_CONTACT};
use partner_api::accounts::tokens::Token;
use partner_api::wire::auth::basic_authorization;
use partner_api::{AccountId, Role};
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
