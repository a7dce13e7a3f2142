//! Fault controls (`--faults`), reset, latency, and `--data` persistence.

mod common;

use common::{call, demo, send, try_send, with_faults};
use partner_api::accounts::children::ListChildren;
use partner_api::accounts::users::{CreateAccount, GetWhoAmI, UserCreate};
use partner_api::wire::auth::basic_authorization;
use partner_api::ApiError;
use partner_sandbox::{AppState, Options, Seed};
use std::time::Duration;

const DIST: &str = "distributor@demo.example";

async fn add_fault(app: &AppState, rule: serde_json::Value) {
    let r = send(
        app,
        "POST",
        "/_sandbox/faults",
        &[("content-type", "application/json")],
        Some(rule.to_string()),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

#[tokio::test]
async fn without_the_flag_the_controls_do_not_exist() {
    let app = demo();
    let r = send(
        &app,
        "POST",
        "/_sandbox/faults",
        &[("content-type", "application/json")],
        Some("{}".into()),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        send(&app, "POST", "/_sandbox/reset", &[], None)
            .await
            .status,
        404
    );
    assert_eq!(
        send(&app, "GET", "/_sandbox/faults/fired", &[], None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_status_fault_hits_the_next_count_matching_calls_only() {
    let app = with_faults();
    add_fault(&app, serde_json::json!({"method": "GET", "path_prefix": "/dk-co/users", "count": 2, "fault": "status", "status": 503, "retry_after": 3})).await;
    let auth = basic_authorization(DIST, "demo");
    // Another region and another method do not match.
    assert_eq!(
        send(
            &app,
            "GET",
            "/de-fr/users/",
            &[("authorization", &auth)],
            None
        )
        .await
        .status,
        200
    );
    for _ in 0..2 {
        let r = send(
            &app,
            "GET",
            "/dk-co/users/",
            &[("authorization", &auth)],
            None,
        )
        .await;
        assert_eq!((r.status, r.header("retry-after")), (503, Some("3")));
        assert_eq!(
            ApiError::from_response(&r),
            ApiError::Unavailable {
                status: 503,
                retry_after: Some(3)
            }
        );
    }
    assert!(call(&app, "dk-co", DIST, &GetWhoAmI).await.is_ok());
    let listed = send(&app, "GET", "/_sandbox/faults", &[], None).await;
    assert_eq!(listed.body, "[]");
}

#[tokio::test]
async fn malformed_drop_and_stall() {
    let app = with_faults();
    let root = call(&app, "dk-co", DIST, &GetWhoAmI).await.unwrap().id;
    add_fault(
        &app,
        serde_json::json!({"path_prefix": "/dk-co/users/", "fault": "malformed"}),
    )
    .await;
    let r = call(&app, "dk-co", DIST, &ListChildren(root.clone())).await;
    assert!(matches!(r, Err(ApiError::Malformed(_))), "{r:?}");
    add_fault(
        &app,
        serde_json::json!({"path_prefix": "/dk-co/apis/", "fault": "malformed"}),
    )
    .await;
    assert!(matches!(
        call(
            &app,
            "dk-co",
            DIST,
            &partner_api::enterprise::account::GetQuota
        )
        .await,
        Err(ApiError::Malformed(_))
    ));

    add_fault(
        &app,
        serde_json::json!({"path_prefix": "/dk-co/users/", "fault": "drop"}),
    )
    .await;
    let auth = basic_authorization(DIST, "demo");
    let dropped = try_send(
        &app,
        "GET",
        &format!("/dk-co/users/{root}/users"),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert!(dropped.is_err(), "{dropped:?}");

    add_fault(
        &app,
        serde_json::json!({"path_prefix": "/dk-co/users/", "fault": "stall"}),
    )
    .await;
    let stalled = tokio::time::timeout(
        Duration::from_millis(300),
        call(&app, "dk-co", DIST, &GetWhoAmI),
    )
    .await;
    assert!(stalled.is_err(), "a stalled call answered");
    // The rule was used up: the next call answers.
    assert!(call(&app, "dk-co", DIST, &GetWhoAmI).await.is_ok());
}

#[tokio::test]
async fn a_lost_answer_is_lost_after_the_call_was_carried_out() {
    let app = with_faults();
    let root = call(&app, "dk-co", DIST, &GetWhoAmI).await.unwrap().id;
    let before = call(&app, "dk-co", DIST, &ListChildren(root.clone()))
        .await
        .unwrap()
        .children
        .len();
    let create = |login: &str| {
        UserCreate {
            login: login.into(),
            ..UserCreate::default()
        }
        .to_xml()
    };
    let auth = basic_authorization(DIST, "demo");
    let path = format!("/dk-co/users/{root}/users");
    // A broken connection...
    add_fault(
        &app,
        serde_json::json!({"method": "POST", "path_prefix": "/dk-co/users/", "fault": "lost"}),
    )
    .await;
    let lost = try_send(
        &app,
        "POST",
        &path,
        &[("authorization", &auth)],
        Some(create("lost-1@example.com")),
    )
    .await;
    assert!(lost.is_err(), "{lost:?}");
    // ...and a gateway's 504, each after the account was made.
    add_fault(
        &app,
        serde_json::json!({"method": "POST", "path_prefix": "/dk-co/users/", "fault": "lost", "status": 504}),
    )
    .await;
    let r = send(
        &app,
        "POST",
        &path,
        &[("authorization", &auth)],
        Some(create("lost-2@example.com")),
    )
    .await;
    assert_eq!(r.status, 504);
    let after = call(&app, "dk-co", DIST, &ListChildren(root))
        .await
        .unwrap();
    assert_eq!(after.children.len(), before + 2);
    assert_eq!(app.faults.fired(), 2);
}

#[tokio::test]
async fn reset_restores_the_seed_and_clears_faults() {
    let app = with_faults();
    let root = call(&app, "dk-co", DIST, &GetWhoAmI).await.unwrap().id;
    let create = CreateAccount {
        parent: root.clone(),
        account: UserCreate {
            login: "new@x.example".into(),
            ..UserCreate::default()
        },
    };
    call(&app, "dk-co", DIST, &create).await.unwrap();
    add_fault(
        &app,
        serde_json::json!({"path_prefix": "/us-dc", "count": 5, "fault": "status", "status": 500}),
    )
    .await;
    let before = call(&app, "dk-co", DIST, &ListChildren(root.clone()))
        .await
        .unwrap()
        .children
        .len();
    assert_eq!(
        send(&app, "POST", "/_sandbox/reset", &[], None)
            .await
            .status,
        200
    );
    let after = call(&app, "dk-co", DIST, &ListChildren(root))
        .await
        .unwrap()
        .children
        .len();
    assert_eq!(after, before - 1);
    assert!(call(&app, "us-dc", DIST, &GetWhoAmI).await.is_ok());
}

#[tokio::test]
async fn latency_delays_answers() {
    let mut o = Options::new(Seed::Demo);
    o.latency_ms = 150;
    let app = AppState::new(Seed::Demo.build(), o);
    let start = std::time::Instant::now();
    call(&app, "dk-co", DIST, &GetWhoAmI).await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn data_file_keeps_state_across_restarts_and_is_written_atomically() {
    let dir = std::env::temp_dir().join(format!(
        "pp-sandbox-{}-{}",
        std::process::id(),
        partner_sandbox::clock::unix_now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let mut o = Options::new(Seed::Demo);
    o.data = Some(file.clone());

    let first = partner_sandbox::spawn_with("127.0.0.1:0", o.clone())
        .await
        .unwrap();
    assert!(file.exists(), "the seed is saved at start");
    let app = first.app.clone();
    let root = call(&app, "dk-co", DIST, &GetWhoAmI).await.unwrap().id;
    // A crash mid-save left a half-written temporary file, and a reader has the state file
    // open. A save goes through the temporary file (replacing what the crash left) and
    // renames it over the state file: the reader still reads the old state whole, and the
    // state file is a new file. A plain write into the state file fails every one of these.
    let tmp = dir.join("state.json.tmp");
    std::fs::write(&tmp, b"{\"regions\": {\"dk-").unwrap();
    let before = std::fs::read(&file).unwrap();
    let reader = std::fs::File::open(&file).unwrap();
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&file).unwrap());
    let create = CreateAccount {
        parent: root.clone(),
        account: UserCreate {
            login: "kept@x.example".into(),
            external_id: Some("keep-1".into()),
            ..UserCreate::default()
        },
    };
    call(&app, "dk-co", DIST, &create).await.unwrap();
    assert!(
        !tmp.exists(),
        "the save went through FILE.tmp and renamed it"
    );
    let mut old = Vec::new();
    std::io::Read::read_to_end(&mut &reader, &mut old).unwrap();
    assert_eq!(
        old, before,
        "the file open before the save still holds the old state"
    );
    #[cfg(unix)]
    assert_ne!(
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&file).unwrap()),
        inode,
        "the state file was replaced, not written in place"
    );
    assert!(std::fs::read(&file).unwrap() != before);
    first.task.abort();
    assert!(!tmp.exists(), "no temporary file is left behind");

    // A half-written temporary file from a crash does not matter: the state file is whole.
    std::fs::write(&tmp, b"{\"regions\": {\"dk-").unwrap();
    let second = partner_sandbox::spawn_with("127.0.0.1:0", o).await.unwrap();
    let kids = call(&second.app, "dk-co", DIST, &ListChildren(root))
        .await
        .unwrap();
    assert!(kids
        .children
        .iter()
        .any(|c| c.email.as_deref() == Some("kept@x.example")));
    second.task.abort();

    // A file that is not a state file is refused with a reason, not silently replaced.
    std::fs::write(&file, b"not json").unwrap();
    let mut o = Options::new(Seed::Demo);
    o.data = Some(file.clone());
    let err = partner_sandbox::spawn_with("127.0.0.1:0", o)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("not a sandbox state file"));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn every_rule_counts_the_calls_it_faulted_in_process_and_over_http() {
    use partner_api::demo::{DEMO_LOGINS, DEMO_PASSWORD};
    use partner_sandbox::faults::FiredReport;
    let app = with_faults();
    let auth = basic_authorization(DEMO_LOGINS[0].login, DEMO_PASSWORD);
    let whoami = |region: &'static str| {
        let (app, auth) = (app.clone(), auth.clone());
        async move {
            send(
                &app,
                "GET",
                &format!("/{region}/users/"),
                &[("authorization", &auth)],
                None,
            )
            .await
            .status
        }
    };
    let report = || async {
        let r = send(&app, "GET", "/_sandbox/faults/fired", &[], None).await;
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str::<FiredReport>(&r.body).expect("a report")
    };
    // Nothing added, nothing fired.
    assert_eq!(
        report().await,
        FiredReport {
            fired: 0,
            rules: vec![]
        }
    );

    // Two uses of a 503 in dk-co, and a rule that never matches (another method).
    add_fault(&app, serde_json::json!({"method": "GET", "path_prefix": "/dk-co/users", "count": 2, "fault": "status", "status": 503})).await;
    add_fault(&app, serde_json::json!({"method": "DELETE", "path_prefix": "/dk-co/users", "count": 3, "fault": "status", "status": 500})).await;
    assert_eq!(app.faults.fired(), 0, "adding a rule fires nothing");
    // A call that matches no rule is not counted.
    assert_eq!(whoami("de-fr").await, 200);
    assert_eq!(app.faults.fired(), 0);
    assert_eq!(whoami("dk-co").await, 503);
    assert_eq!(app.faults.fired(), 1);
    assert_eq!(whoami("dk-co").await, 503);
    // Spent: the rule has left the list in force, and its count stays.
    assert_eq!(whoami("dk-co").await, 200);
    assert_eq!(app.faults.fired(), 2);
    assert_eq!(app.faults.list().len(), 1);

    let r = report().await;
    assert_eq!(r.fired, 2);
    let counts: Vec<(Option<&str>, u32, u32)> = r
        .rules
        .iter()
        .map(|f| (f.rule.method.as_deref(), f.rule.count, f.fired))
        .collect();
    // As added (the count the rule was given), with what each one faulted.
    assert_eq!(counts, [(Some("GET"), 2, 2), (Some("DELETE"), 3, 0)]);
    assert_eq!(r.rules, app.faults.history());

    // Clearing the rules in force keeps what fired; a reset forgets it.
    assert_eq!(
        send(&app, "DELETE", "/_sandbox/faults", &[], None)
            .await
            .status,
        204
    );
    assert_eq!(report().await.fired, 2);
    assert_eq!(
        send(&app, "POST", "/_sandbox/reset", &[], None)
            .await
            .status,
        200
    );
    assert_eq!(
        report().await,
        FiredReport {
            fired: 0,
            rules: vec![]
        }
    );
    assert_eq!(app.faults.fired(), 0);
}

#[tokio::test]
async fn a_stalled_call_counts_as_fired_while_it_hangs() {
    let app = with_faults();
    add_fault(
        &app,
        serde_json::json!({"path_prefix": "/dk-co/users/", "fault": "stall"}),
    )
    .await;
    let stalled = tokio::time::timeout(
        Duration::from_millis(300),
        call(&app, "dk-co", DIST, &GetWhoAmI),
    )
    .await;
    assert!(stalled.is_err(), "a stalled call answered");
    assert_eq!(app.faults.fired(), 1);
    assert_eq!(app.faults.history()[0].fired, 1);
}
