//! The enterprise people pages in real Chromium against the sandbox: users found by email
//! across pages, a user added on a plan (the pool's allocation follows), a 402 and a 409
//! each said on its field, a user moved between groups, a group deleted with its users
//! moved; every page axe-clean.

use partner_e2e::seed::{user_path, DISTRIBUTOR, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};
use std::time::{Duration, Instant};

async fn fill(h: &Harness, css: &str, text: &str) {
    let el = h.find(css).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

async fn signed_in(h: &Harness, login: &str, path: &str) {
    h.open(&format!("/sign-in?region={REGION}&next={path}"))
        .await;
    h.sign_in(REGION, login, PASSWORD).await;
}

/// Waits until `check` holds of the partner's enterprise data in the sandbox.
async fn until(
    h: &Harness,
    login: &str,
    what: &str,
    check: impl Fn(&partner_sandbox::world::Enterprise) -> bool,
) {
    let deadline = Instant::now() + partner_e2e::PATIENCE;
    while !check(&h.enterprise_of(REGION, login).await) {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_is_found_by_email_across_pages_and_opened() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    signed_in(&h, DISTRIBUTOR, "/users").await;
    h.wait_text("table.people caption", "Users 1 to 25 of 320")
        .await;
    h.assert_accessible("the users page").await;
    // The last user by name is on the last page, not the first.
    let mut users = h.users_of(REGION, DISTRIBUTOR).await;
    users.sort_by_key(|u| (u.name.to_lowercase(), u.avatar_id));
    let target = users.last().unwrap().clone();
    let first_page = h.find("table.people tbody").await.text().await.unwrap();
    assert!(!first_page.contains(&target.email));
    // Sorting by name descending brings it first: the region sorts, not the page.
    h.click_button("Name ▲").await;
    h.wait_text("table.people tbody tr:first-child", &target.email)
        .await;
    let sort = h
        .find("table.people th[aria-sort=descending]")
        .await
        .text()
        .await
        .unwrap();
    assert!(sort.contains("Name"), "{sort}");
    // Paging: the second page starts at 26.
    h.click_button("Next page").await;
    h.wait_text("table.people caption", "Users 26 to 50 of 320")
        .await;
    // Found by email, whatever the page.
    h.choose("#user-search-by", "email").await;
    fill(&h, "#user-search", &target.email.to_uppercase()).await;
    h.click_button("Search").await;
    h.wait_text("table.people caption", "Users 1 to 1 of 1")
        .await;
    h.click_link(&target.name).await;
    h.wait_path(&user_path(REGION, &target.email)).await;
    h.wait_text("h1", &target.name).await;
    h.wait_text(".quota-bar", "stored of").await;
    h.find("#user-devices").await;
    h.assert_accessible("a user's page").await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_a_user_changes_the_pool_and_a_402_and_a_409_are_said_on_their_fields() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    signed_in(&h, PARTNER, &format!("/users/new?region={REGION}")).await;
    let before = h.enterprise_of(REGION, PARTNER).await;
    let pool = h.wait_text(".pool", "allocated to users of").await;
    h.find("#new-user-group option[value='1']").await;
    h.assert_accessible("the add-user page").await;

    // 409: the email is another user's.
    let taken = before.people.users[3].user.email.clone();
    fill(&h, "#new-user-name", "Nina Test").await;
    fill(&h, "#new-user-email", &taken).await;
    h.click_button("Add user").await;
    h.wait_text(
        "#new-user-email-problem",
        "Another user already has this email address",
    )
    .await;
    assert_eq!(
        h.find("#new-user-email")
            .await
            .attr("aria-invalid")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );

    // 402: the 1,000 GB plan with a bonus larger than the pool.
    fill(&h, "#new-user-email", "nina.test@example.com").await;
    h.choose("#new-user-plan", "4").await;
    fill(&h, "#new-user-bonus", "100000").await;
    h.click_button("Add user").await;
    h.wait_text(
        "#new-user-plan-problem",
        "not enough storage left in your pool",
    )
    .await;
    h.wait_text("#new-user-plan-problem", "more is needed")
        .await;
    h.assert_accessible("the add-user page with problems").await;

    // The draft survives a reload.
    h.client.refresh().await.unwrap();
    let kept = h.find("#new-user-email").await.prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("nina.test@example.com"));

    // On the 100 GB plan it fits: the temporary password is shown once, the pool changes.
    h.choose("#new-user-plan", "2").await;
    fill(&h, "#new-user-bonus", "0").await;
    h.click_button("Add user").await;
    h.wait_text(".created", "Temporary password").await;
    let after = h.enterprise_of(REGION, PARTNER).await;
    assert_eq!(
        after.bytes_allocated,
        before.bytes_allocated + 100_000_000_000
    );
    let added = after
        .people
        .users
        .iter()
        .find(|p| p.user.email == "nina.test@example.com")
        .expect("added once");
    assert_eq!(added.user.plan_id, Some(2));
    assert_eq!(
        after
            .people
            .users
            .iter()
            .filter(|p| p.user.email == "nina.test@example.com")
            .count(),
        1
    );
    // The pool line on the page follows the allocation.
    let deadline = Instant::now() + partner_e2e::PATIENCE;
    while h.find(".pool").await.text().await.unwrap() == pool {
        assert!(Instant::now() < deadline, "the pool line still says {pool}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The temporary password is in no storage.
    let secret = h.find(".created code.secret").await.text().await.unwrap();
    let stored = h
        .js("return JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage)) + location.href")
        .await;
    assert!(!stored.as_str().unwrap().contains(&secret));
    h.screenshot("people-user-added").await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_moves_between_groups_and_a_group_is_deleted_moving_its_users() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let e = h.enterprise_of(REGION, PARTNER).await;
    let u = e
        .people
        .users
        .iter()
        .find(|p| p.user.group_id == Some(2))
        .unwrap()
        .user
        .clone();
    signed_in(&h, PARTNER, &user_path(REGION, &u.email)).await;
    h.wait_text("h1", &u.name).await;
    h.find("#user-group option[value='3']").await;
    h.choose("#user-group", "3").await;
    h.click_button("Save").await;
    h.wait_text("#user-saved", "Saved").await;
    until(&h, PARTNER, "the user is in group 3", |e| {
        e.people
            .users
            .iter()
            .any(|p| p.user.email == u.email && p.user.group_id == Some(3))
    })
    .await;

    // Group 2 goes, its users moved to group 1.
    let moving = h
        .enterprise_of(REGION, PARTNER)
        .await
        .people
        .users
        .iter()
        .filter(|p| p.user.group_id == Some(2))
        .count();
    assert!(moving > 0);
    h.open("/groups").await;
    h.wait_text("table.groups", "Sales").await;
    h.assert_accessible("the groups page").await;
    h.find("button[aria-label='Change Sales']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_text("#group-edit", "Change Sales").await;
    h.wait_text(
        "label[for=group-move-to]",
        &format!("Move its {moving} users to"),
    )
    .await;
    h.choose("#group-move-to", "1").await;
    h.assert_accessible("the group editor").await;
    h.click_button("Delete group").await;
    until(&h, PARTNER, "group 2 is gone, its users in group 1", |e| {
        e.people.groups.iter().all(|g| g.group_id != 2)
            && e.people.users.iter().all(|p| p.user.group_id != Some(2))
    })
    .await;
    h.open("/plans").await;
    h.wait_text("table.plans", "100.0 GB").await;
    h.assert_accessible("the plans page").await;
    h.finish().await;
}
