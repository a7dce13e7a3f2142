//! Enterprise users, groups and plans: every call's success and each error it can give,
//! with the pool's accounting.

mod common;

use common::{call, demo};
use partner_api::enterprise::account::GetQuota;
use partner_api::enterprise::groups::{
    needs_force, CreateGroup, DeleteGroup, EditGroup, GetGroup, GroupEdit, ListGroups, NewGroup,
};
use partner_api::enterprise::plans::ListPlans;
use partner_api::enterprise::users::{
    CountUsers, CreateUser, DeleteUser, EditUser, GetUser, GetUserShare, ListDevices,
    ListUserShares, ListUsers, NewUser, SearchBy, SendActivationEmail, UserEdit, UserOrder,
    UserQuery,
};
use partner_api::wire::auth::basic_authorization;
use partner_api::ApiError;

const DIST: &str = "distributor@demo.example";
const PARTNER: &str = "partner@demo.example";
const READONLY: &str = "readonly@demo.example";
const GB: u64 = 1_000_000_000;

fn person(email: &str, group: i64) -> NewUser {
    NewUser {
        name: "Test Person".into(),
        email: email.into(),
        group_id: Some(group),
        ..NewUser::default()
    }
}

#[tokio::test]
async fn users_are_found_sorted_paged_and_counted_on_the_server() {
    let app = demo();
    let all = call(&app, "dk-co", DIST, &CountUsers::default())
        .await
        .unwrap();
    assert_eq!(all, 320);
    let q = UserQuery {
        search: Some("user1".into()),
        search_by: SearchBy::Username,
        order_by: Some((UserOrder::Username, true)),
        limit: Some(5),
        offset: Some(5),
        ..UserQuery::default()
    };
    let page = call(&app, "dk-co", DIST, &ListUsers(q.clone()))
        .await
        .unwrap();
    assert_eq!(page.len(), 5);
    assert!(page.iter().all(|u| u.username.contains("user1")));
    assert!(page.windows(2).all(|w| w[0].username >= w[1].username));
    let matching = call(&app, "dk-co", DIST, &CountUsers(q)).await.unwrap();
    assert!(matching > 10 && matching < all, "{matching}");
    // By email, across pages: the 200th user is found by its address.
    let target = call(
        &app,
        "dk-co",
        DIST,
        &ListUsers(UserQuery {
            offset: Some(200),
            limit: Some(1),
            ..UserQuery::default()
        }),
    )
    .await
    .unwrap()
    .remove(0);
    let found = call(
        &app,
        "dk-co",
        DIST,
        &ListUsers(UserQuery {
            search: Some(target.email.to_uppercase()),
            search_by: SearchBy::Email,
            ..UserQuery::default()
        }),
    )
    .await
    .unwrap();
    assert_eq!(found, vec![target.clone()]);
    let one = call(&app, "dk-co", DIST, &GetUser(target.email.clone()))
        .await
        .unwrap();
    assert_eq!(one, target);
    assert!(matches!(
        call(&app, "dk-co", DIST, &GetUser("nobody@example.com".into())).await,
        Err(ApiError::NotFound(_))
    ));
    // Filters: only the disabled users of group 2.
    let disabled = call(
        &app,
        "dk-co",
        DIST,
        &ListUsers(UserQuery {
            group_id: Some(2),
            enabled: Some(false),
            ..UserQuery::default()
        }),
    )
    .await
    .unwrap();
    assert!(!disabled.is_empty());
    assert!(disabled.iter().all(|u| !u.enabled && u.group_id == Some(2)));
}

#[tokio::test]
async fn an_unknown_order_or_search_field_is_a_400_naming_it() {
    let app = demo();
    let r = common::send(
        &app,
        "GET",
        "/dk-co/apis/accounts/v1/users/?order_by=shoe_size",
        &[("authorization", &basic_authorization(DIST, "demo"))],
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("order_by"), "{}", r.body);
}

#[tokio::test]
async fn adding_a_user_charges_the_pool_and_answers_a_temporary_password() {
    let app = demo();
    let before = call(&app, "dk-co", PARTNER, &GetQuota).await.unwrap();
    let plans = call(&app, "dk-co", PARTNER, &ListPlans).await.unwrap();
    assert_eq!(plans.len(), 4);
    let made = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateUser(NewUser {
            plan_id: Some(1),
            bonus_bytes: Some(5 * GB),
            ..person("new.person@example.com", 2)
        }),
    )
    .await
    .unwrap();
    assert!(made.username.starts_with("user_auto_"), "{}", made.username);
    assert!(made.temp_password.is_some());
    let after = call(&app, "dk-co", PARTNER, &GetQuota).await.unwrap();
    assert_eq!(after.bytes_allocated, before.bytes_allocated + 55 * GB);
    let u = call(
        &app,
        "dk-co",
        PARTNER,
        &GetUser("NEW.person@example.com".into()),
    )
    .await
    .unwrap();
    assert_eq!(
        (u.storage_bytes, u.group_id, u.plan_id),
        (55 * GB, Some(2), Some(1))
    );
    // Deleting gives it back.
    call(&app, "dk-co", PARTNER, &DeleteUser(u.username.clone()))
        .await
        .unwrap();
    let back = call(&app, "dk-co", PARTNER, &GetQuota).await.unwrap();
    assert_eq!(back.bytes_allocated, before.bytes_allocated);
    assert!(matches!(
        call(&app, "dk-co", PARTNER, &DeleteUser(u.username)).await,
        Err(ApiError::NotFound(_))
    ));
}

#[tokio::test]
async fn past_the_pool_is_a_402_saying_how_much_is_missing() {
    let app = demo();
    let q = call(&app, "dk-co", PARTNER, &GetQuota).await.unwrap();
    let left = q.bytes_available.unwrap() - q.bytes_allocated;
    let e = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateUser(NewUser {
            plan_id: Some(4),
            bonus_bytes: Some(left),
            ..person("too.big@example.com", 1)
        }),
    )
    .await
    .unwrap_err();
    assert_eq!(
        e,
        ApiError::NoStorage {
            message: "Not enough storage space available to accommodate the user.".into(),
            short_by: Some(1000 * GB),
        }
    );
    assert_eq!(call(&app, "dk-co", PARTNER, &GetQuota).await.unwrap(), q);
}

#[tokio::test]
async fn a_taken_email_or_username_and_an_unknown_group_or_plan_are_409s_naming_them() {
    let app = demo();
    let someone = call(&app, "dk-co", PARTNER, &ListUsers::default())
        .await
        .unwrap()
        .remove(0);
    let fields = |e: ApiError| e.fields().to_vec();
    let dup = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateUser(NewUser {
            username: Some(someone.username.to_uppercase()),
            ..person(&someone.email, 1)
        }),
    )
    .await
    .unwrap_err();
    assert_eq!(fields(dup), ["username", "email"]);
    let no_group = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateUser(person("a@example.com", 99)),
    )
    .await
    .unwrap_err();
    assert_eq!(fields(no_group), ["group_id"]);
    let no_plan = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateUser(NewUser {
            plan_id: Some(99),
            ..person("a@example.com", 1)
        }),
    )
    .await
    .unwrap_err();
    assert_eq!(fields(no_plan), ["plan_id"]);
    let bad = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateUser(NewUser {
            email: "not an email".into(),
            ..person("", 1)
        }),
    )
    .await
    .unwrap_err();
    assert!(matches!(&bad, ApiError::BadRequest { fields, .. } if fields == &["email"]));
    // Editing another user onto a taken email.
    let other = call(&app, "dk-co", PARTNER, &ListUsers::default())
        .await
        .unwrap()
        .remove(1);
    let e = call(
        &app,
        "dk-co",
        PARTNER,
        &EditUser {
            user: other.email.clone(),
            edit: UserEdit {
                email: Some(someone.email.clone()),
                ..UserEdit::default()
            },
        },
    )
    .await
    .unwrap_err();
    assert_eq!(fields(e), ["email"]);
}

#[tokio::test]
async fn a_user_moves_between_groups_taking_the_new_groups_plan() {
    let app = demo();
    let u = call(
        &app,
        "dk-co",
        PARTNER,
        &ListUsers(UserQuery {
            group_id: Some(2),
            limit: Some(1),
            ..UserQuery::default()
        }),
    )
    .await
    .unwrap()
    .remove(0);
    let target = call(&app, "dk-co", PARTNER, &GetGroup(3)).await.unwrap();
    call(
        &app,
        "dk-co",
        PARTNER,
        &EditUser {
            user: u.email.clone(),
            edit: UserEdit {
                group_id: Some(3),
                enabled: Some(false),
                ..UserEdit::default()
            },
        },
    )
    .await
    .unwrap();
    let moved = call(&app, "dk-co", PARTNER, &GetUser(u.email.clone()))
        .await
        .unwrap();
    assert_eq!(moved.group_id, Some(3));
    assert_eq!(moved.plan_id, Some(target.plan_id));
    assert!(!moved.enabled);
    // A disabled user gets no activation email: 409.
    assert!(matches!(
        call(
            &app,
            "dk-co",
            PARTNER,
            &SendActivationEmail(u.email.clone())
        )
        .await,
        Err(ApiError::Conflict { .. })
    ));
    assert!(matches!(
        call(
            &app,
            "dk-co",
            PARTNER,
            &EditUser {
                user: "nobody".into(),
                edit: UserEdit::default()
            }
        )
        .await,
        Err(ApiError::NotFound(_))
    ));
}

#[tokio::test]
async fn activation_emails_are_recorded() {
    let app = demo();
    let u = call(
        &app,
        "dk-co",
        PARTNER,
        &ListUsers(UserQuery {
            enabled: Some(true),
            limit: Some(1),
            ..UserQuery::default()
        }),
    )
    .await
    .unwrap()
    .remove(0);
    call(
        &app,
        "dk-co",
        PARTNER,
        &SendActivationEmail(u.username.clone()),
    )
    .await
    .unwrap();
    let world = app.world.read().await;
    let sent: Vec<&String> = world.regions["dk-co"]
        .enterprise
        .values()
        .flat_map(|e| e.people.activation_emails.iter().map(|(to, _)| to))
        .collect();
    assert_eq!(sent, [&u.email]);
}

#[tokio::test]
async fn devices_and_shares_are_per_user() {
    let app = demo();
    let owner = call(&app, "dk-co", DIST, &GetUser("user3".into()))
        .await
        .unwrap();
    let shares = call(&app, "dk-co", DIST, &ListUserShares(owner.email.clone()))
        .await
        .unwrap();
    assert!(!shares.is_empty());
    let one = call(
        &app,
        "dk-co",
        DIST,
        &GetUserShare {
            user: owner.username.clone(),
            room_key: shares[0].room_key.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(one, shares[0]);
    assert!(matches!(
        call(
            &app,
            "dk-co",
            DIST,
            &GetUserShare {
                user: owner.username.clone(),
                room_key: "none".into()
            }
        )
        .await,
        Err(ApiError::NotFound(_))
    ));
    let fleet: usize = {
        let mut n = 0;
        for i in 0..20 {
            n += call(&app, "dk-co", DIST, &ListDevices(format!("user{i}")))
                .await
                .unwrap()
                .len();
        }
        n
    };
    assert!(fleet > 0);
    assert!(matches!(
        call(&app, "dk-co", DIST, &ListDevices("nobody".into())).await,
        Err(ApiError::NotFound(_))
    ));
}

#[tokio::test]
async fn groups_are_made_renamed_and_refused_as_documented() {
    let app = demo();
    let groups = call(&app, "dk-co", PARTNER, &ListGroups::default())
        .await
        .unwrap();
    assert_eq!(groups.len(), 5);
    let found = call(
        &app,
        "dk-co",
        PARTNER,
        &ListGroups {
            search: Some("SAL".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        found.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
        ["Sales"]
    );
    let new = NewGroup {
        name: "Warehouse".into(),
        plan_id: 1,
        webapi_enable: true,
        check_domain: false,
    };
    let id = call(&app, "dk-co", PARTNER, &CreateGroup(new.clone()))
        .await
        .unwrap();
    assert_eq!(
        call(&app, "dk-co", PARTNER, &GetGroup(id))
            .await
            .unwrap()
            .name,
        "Warehouse"
    );
    let taken = call(&app, "dk-co", PARTNER, &CreateGroup(new.clone()))
        .await
        .unwrap_err();
    assert_eq!(taken.fields(), ["name"]);
    let no_plan = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateGroup(NewGroup {
            name: "Other".into(),
            plan_id: 77,
            ..new.clone()
        }),
    )
    .await
    .unwrap_err();
    assert_eq!(no_plan.fields(), ["plan_id"]);
    call(
        &app,
        "dk-co",
        PARTNER,
        &EditGroup {
            group_id: id,
            edit: GroupEdit {
                name: Some("Stores".into()),
                webapi_enable: Some(false),
                ..GroupEdit::default()
            },
        },
    )
    .await
    .unwrap();
    let g = call(&app, "dk-co", PARTNER, &GetGroup(id)).await.unwrap();
    assert_eq!((g.name.as_str(), g.webapi_enable), ("Stores", false));
    assert!(matches!(
        call(&app, "dk-co", PARTNER, &GetGroup(999)).await,
        Err(ApiError::NotFound(_))
    ));
    // An empty group goes without move_to.
    call(
        &app,
        "dk-co",
        PARTNER,
        &DeleteGroup {
            group_id: id,
            move_to: None,
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        call(&app, "dk-co", PARTNER, &GetGroup(id)).await,
        Err(ApiError::NotFound(_))
    ));
}

#[tokio::test]
async fn a_plan_change_that_puts_users_over_quota_needs_force() {
    let app = demo();
    // Group 3 (Engineering) is on the 250 GB plan, and some of its users store more than
    // 50 GB.
    let e = call(
        &app,
        "dk-co",
        DIST,
        &EditGroup {
            group_id: 3,
            edit: GroupEdit {
                plan_id: Some(1),
                ..GroupEdit::default()
            },
        },
    )
    .await
    .unwrap_err();
    assert!(needs_force(&e), "{e:?}");
    call(
        &app,
        "dk-co",
        DIST,
        &EditGroup {
            group_id: 3,
            edit: GroupEdit {
                plan_id: Some(1),
                force: true,
                ..GroupEdit::default()
            },
        },
    )
    .await
    .unwrap();
    let members = call(
        &app,
        "dk-co",
        DIST,
        &ListUsers(UserQuery {
            group_id: Some(3),
            ..UserQuery::default()
        }),
    )
    .await
    .unwrap();
    assert!(members.iter().all(|u| u.plan_id == Some(1)));
}

#[tokio::test]
async fn a_group_with_users_is_deleted_only_by_moving_them() {
    let app = demo();
    let count = |g| {
        CountUsers(UserQuery {
            group_id: Some(g),
            ..UserQuery::default()
        })
    };
    let (two, one) = (
        call(&app, "dk-co", PARTNER, &count(2)).await.unwrap(),
        call(&app, "dk-co", PARTNER, &count(1)).await.unwrap(),
    );
    assert!(two > 0);
    let refused = call(
        &app,
        "dk-co",
        PARTNER,
        &DeleteGroup {
            group_id: 2,
            move_to: None,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(refused, ApiError::Conflict { .. }));
    assert!(matches!(
        call(
            &app,
            "dk-co",
            PARTNER,
            &DeleteGroup {
                group_id: 2,
                move_to: Some(2)
            }
        )
        .await,
        Err(ApiError::Conflict { .. })
    ));
    call(
        &app,
        "dk-co",
        PARTNER,
        &DeleteGroup {
            group_id: 2,
            move_to: Some(1),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        call(&app, "dk-co", PARTNER, &count(1)).await.unwrap(),
        one + two
    );
    assert_eq!(call(&app, "dk-co", PARTNER, &count(2)).await.unwrap(), 0);
}

#[tokio::test]
async fn read_only_roles_read_but_do_not_write() {
    let app = demo();
    assert!(call(&app, "dk-co", READONLY, &ListUsers::default())
        .await
        .is_ok());
    assert!(matches!(
        call(
            &app,
            "dk-co",
            READONLY,
            &CreateUser(person("x@example.com", 1))
        )
        .await,
        Err(ApiError::Forbidden(_))
    ));
}
