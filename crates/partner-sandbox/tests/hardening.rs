//! Issue 14: the sandbox as a shared demo or integration target. Each test here fails
//! without the fix it names (docs/reliability.md says how each was seen failing).

mod common;

use common::{call, call_with, demo, root_of, send};
use partner_api::accounts::contacts::{AddContact, Contact};
use partner_api::accounts::tokens::{CreateToken, TokenCreate, TokenSecret};
use partner_api::accounts::users::{CreateAccount, GetWhoAmI, UserCreate};
use partner_api::enterprise::account::{GetSettings, SettingsUpdate, UpdateSettings};
use partner_api::fields::Secret;
use partner_api::wire::auth::basic_authorization;
use partner_api::{ApiError, Role};
use partner_sandbox::{AppState, Limits, Options, Seed};
use std::time::{Duration, Instant};

const DIST: &str = "distributor@demo.example";
const MSP: &str = "msp@demo.example";

fn with_limits(limits: Limits) -> AppState {
    let mut o = Options::new(Seed::Demo);
    o.limits = limits;
    AppState::new(Seed::Demo.build(), o)
}

fn key(name: &str, lifetime: Option<&str>, expires: Option<&str>) -> TokenCreate {
    TokenCreate {
        role: Role::ReadOnlyMspPartner,
        description: "RMM".into(),
        secret: TokenSecret::Chosen {
            name: name.into(),
            password: Secret("a-long-enough-password".into()),
        },
        lifetime: lifetime.map(str::to_owned),
        expires: expires.map(str::to_owned),
        primary: false,
        single_use: false,
        responsibilities: vec![],
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "pp-hardening-{name}-{}-{}",
        std::process::id(),
        partner_sandbox::clock::unix_now()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ----- Point 4: tokens -------------------------------------------------------------------

#[tokio::test]
async fn an_expired_token_signs_nothing_in() {
    let app = demo();
    let msp = root_of(&app, "dk-co", MSP).await;
    let create = |name: &str, expires: &str| CreateToken {
        account: msp.clone(),
        token: key(name, None, Some(expires)),
    };
    call(
        &app,
        "dk-co",
        MSP,
        &create("rmm-past", "2001-01-01T00:00:00Z"),
    )
    .await
    .unwrap();
    call(
        &app,
        "dk-co",
        MSP,
        &create("rmm-future", "2999-01-01T00:00:00Z"),
    )
    .await
    .unwrap();
    let auth = basic_authorization("rmm-past", "a-long-enough-password");
    let r = send(
        &app,
        "GET",
        "/dk-co/users/",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.body, partner_sandbox::EXPIRED);
    call_with(
        &app,
        "dk-co",
        "rmm-future",
        "a-long-enough-password",
        &GetWhoAmI,
    )
    .await
    .unwrap();
    // A lifetime sets the expiry, so it ends too: one of a second, a second later.
    call(
        &app,
        "dk-co",
        MSP,
        &CreateToken {
            account: msp.clone(),
            token: key("rmm-brief", Some("PT1S"), None),
        },
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(matches!(
        call_with(
            &app,
            "dk-co",
            "rmm-brief",
            "a-long-enough-password",
            &GetWhoAmI
        )
        .await,
        Err(ApiError::Unauthorized(_))
    ));
    // An expiry that is not a time is refused when the key is made.
    assert!(matches!(
        call(&app, "dk-co", MSP, &create("rmm-never", "tomorrow")).await,
        Err(ApiError::BadRequest { message, .. }) if message.contains("expires")
    ));
}

#[tokio::test]
async fn an_absurd_lifetime_is_a_400_not_a_panic() {
    let app = demo();
    let msp = root_of(&app, "dk-co", MSP).await;
    for lifetime in [
        "P99999999999D",
        "P999999999999999D",
        "P99999999999999999999D",
        "PT99999999999999999999S",
        "P36526D",
    ] {
        let r = call(
            &app,
            "dk-co",
            MSP,
            &CreateToken {
                account: msp.clone(),
                token: key(&format!("rmm-{}", lifetime.len()), Some(lifetime), None),
            },
        )
        .await;
        assert!(
            matches!(&r, Err(ApiError::BadRequest { message, .. }) if message.starts_with("lifetime:")),
            "{lifetime}: {r:?}"
        );
    }
    call(
        &app,
        "dk-co",
        MSP,
        &CreateToken {
            account: msp.clone(),
            token: key("rmm-year", Some("P365D"), None),
        },
    )
    .await
    .unwrap();
}

// ----- Point 8: limits in the API's shape ------------------------------------------------

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_in_the_apis_shape() {
    let app = with_limits(Limits {
        body_bytes: 1024,
        ..Limits::default()
    });
    let root = root_of(&app, "dk-co", DIST).await;
    let auth = basic_authorization(DIST, "demo");
    let big = format!(
        "<user_create><login>a@b.example</login><fullname>{}</fullname></user_create>",
        "x".repeat(2000)
    );
    let r = send(
        &app,
        "POST",
        &format!("/dk-co/users/{root}/users"),
        &[("authorization", &auth)],
        Some(big.clone()),
    )
    .await;
    assert_eq!(r.status, 413);
    assert!(r.body.contains("1024 bytes"), "{}", r.body);
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k == "content-type" && v.starts_with("text/plain")));
    // The Enterprise API says it in JSON.
    let r = send(
        &app,
        "POST",
        "/dk-co/apis/accounts/v1/partner/settings",
        &[("authorization", &auth)],
        Some(format!("{{\"support_email\": \"{}\"}}", "x".repeat(2000))),
    )
    .await;
    assert_eq!(r.status, 413);
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(body["reason"].as_str().unwrap().contains("larger"));
    // A body without a length (chunked) is cut at the limit too.
    use axum::body::Body;
    use tower::ServiceExt;
    let chunks = futures_util::stream::iter(
        (0..20).map(|_| Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b'x'; 100]))),
    );
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(format!("/dk-co/users/{root}/users"))
        .header("authorization", &auth)
        .body(Body::from_stream(chunks))
        .unwrap();
    let resp = partner_sandbox::router(app.clone())
        .oneshot(req)
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    // Within the limit, as before.
    call(
        &app,
        "dk-co",
        DIST,
        &CreateAccount {
            parent: root,
            account: UserCreate {
                login: "small@x.example".into(),
                ..UserCreate::default()
            },
        },
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn past_the_calls_in_flight_a_503_with_retry_after_and_past_the_time_a_408() {
    let app = with_limits(Limits {
        in_flight: 1,
        timeout: Duration::from_millis(300),
        ..Limits::default()
    });
    let auth = basic_authorization(DIST, "demo");
    // Hold the world so that a call waits for it, in flight.
    let held = app.world.write().await;
    let first = {
        let app = app.clone();
        let auth = auth.clone();
        tokio::spawn(async move {
            send(
                &app,
                "GET",
                "/dk-co/users/",
                &[("authorization", &auth)],
                None,
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let second = send(
        &app,
        "GET",
        "/dk-co/apis/accounts/v1/partner/quota",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(second.status, 503, "{}", second.body);
    assert!(second
        .headers
        .iter()
        .any(|(k, v)| k == "retry-after" && v == "1"));
    let reason: serde_json::Value = serde_json::from_str(&second.body).unwrap();
    assert!(reason["reason"].as_str().unwrap().contains("try again"));
    // The first gives up at the time limit, in the Accounts API's shape.
    let first = first.await.unwrap();
    assert_eq!(first.status, 408, "{}", first.body);
    assert!(first.body.contains("took longer"), "{}", first.body);
    drop(held);
    // And with the world free, calls pass again.
    let r = send(
        &app,
        "GET",
        "/dk-co/users/",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn what_one_login_may_create_is_capped() {
    let app = with_limits(Limits {
        accounts_per_login: 2,
        tokens_per_login: 1,
        contacts_per_account: 2,
        settings_history: 3,
        ..Limits::default()
    });
    let root = root_of(&app, "dk-co", DIST).await;
    let create = |login: &str| CreateAccount {
        parent: root.clone(),
        account: UserCreate {
            login: login.into(),
            ..UserCreate::default()
        },
    };
    call(&app, "dk-co", DIST, &create("c1@x.example"))
        .await
        .unwrap();
    call(&app, "dk-co", DIST, &create("c2@x.example"))
        .await
        .unwrap();
    let third = call(&app, "dk-co", DIST, &create("c3@x.example")).await;
    assert!(
        matches!(&third, Err(ApiError::Forbidden(m)) if m.contains("2 accounts")),
        "{third:?}"
    );
    // Another login has its own count.
    let msp = root_of(&app, "dk-co", MSP).await;
    call(
        &app,
        "dk-co",
        MSP,
        &CreateAccount {
            parent: msp.clone(),
            account: UserCreate {
                login: "m1@x.example".into(),
                ..UserCreate::default()
            },
        },
    )
    .await
    .unwrap();
    let token = |name: &str| CreateToken {
        account: msp.clone(),
        token: key(name, None, None),
    };
    call(&app, "dk-co", MSP, &token("k1")).await.unwrap();
    assert!(matches!(
        call(&app, "dk-co", MSP, &token("k2")).await,
        Err(ApiError::Forbidden(m)) if m.contains("1 users and keys")
    ));
    // Contacts per account.
    let contact = |kind: &str| AddContact {
        account: msp.clone(),
        contact: Contact {
            kind: kind.into(),
            email: Some("x@x.example".into()),
            ..Contact::default()
        },
    };
    call(&app, "dk-co", MSP, &contact("Technical"))
        .await
        .unwrap();
    assert!(matches!(
        call(&app, "dk-co", MSP, &contact("Invoicing")).await,
        Err(ApiError::Forbidden(m)) if m.contains("2 contacts")
    ));
    // The settings history keeps the last few bodies only.
    for ttl in 1..=5 {
        call(
            &app,
            "dk-co",
            DIST,
            &UpdateSettings(SettingsUpdate {
                share_link_ttl: Some(Some(ttl)),
                ..SettingsUpdate::default()
            }),
        )
        .await
        .unwrap();
    }
    let w = app.world.read().await;
    let posts = &w.regions["dk-co"].enterprise[&root].settings_posts;
    assert_eq!(posts.len(), 3);
    assert_eq!(posts[2]["share_link_ttl"], 5);
    assert_eq!(posts[0]["share_link_ttl"], 3);
    drop(w);
    assert_eq!(
        call(&app, "dk-co", DIST, &GetSettings)
            .await
            .unwrap()
            .share_link_ttl,
        Some(5)
    );
}

// ----- Point 8: passwords and the state file ---------------------------------------------

#[tokio::test]
async fn passwords_are_stored_hashed_and_the_seeded_ones_still_sign_in() {
    let dir = temp_dir("hashed");
    let file = dir.join("state.json");
    let mut o = Options::new(Seed::Demo);
    o.data = Some(file.clone());
    let running = partner_sandbox::spawn_with("127.0.0.1:0", o).await.unwrap();
    let msp = root_of(&running.app, "dk-co", MSP).await;
    let mut chosen = key("rmm-hashed", None, None);
    chosen.secret = TokenSecret::Chosen {
        name: "rmm-hashed".into(),
        password: Secret("Correct-Horse-Battery-Staple".into()),
    };
    call(
        &running.app,
        "dk-co",
        MSP,
        &CreateToken {
            account: msp,
            token: chosen,
        },
    )
    .await
    .unwrap();
    running.task.abort();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("Correct-Horse-Battery-Staple"));
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(saved["format"], 2);
    let mut records = 0;
    for region in saved["regions"].as_object().unwrap().values() {
        for account in region["accounts"].as_object().unwrap().values() {
            for t in account["tokens"].as_array().unwrap() {
                records += 1;
                assert!(t.get("password").is_none(), "{t}");
                if let Some(h) = t.get("password_hash") {
                    assert_eq!(h["sha256"].as_str().unwrap().len(), 64);
                    assert_eq!(h["salt"].as_str().unwrap().len(), 32);
                }
            }
        }
    }
    assert!(records > 10);
    // Every demo login signs in with the seeded password.
    let app = demo();
    for region in partner_api::demo::DEMO_REGIONS {
        for login in partner_api::demo::DEMO_LOGINS {
            call(&app, region, login.login, &GetWhoAmI).await.unwrap();
        }
    }
    assert!(matches!(
        call_with(&app, "dk-co", DIST, "Demo", &GetWhoAmI).await,
        Err(ApiError::Unauthorized(_))
    ));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn an_old_state_file_is_migrated_and_a_newer_one_refused() {
    let dir = temp_dir("migrate");
    let file = dir.join("state.json");
    // Format 1: the world as it was saved before issue 14, passwords as typed.
    let mut v1 = serde_json::to_value(Seed::Demo.build()).unwrap();
    for region in v1["regions"].as_object_mut().unwrap().values_mut() {
        for account in region["accounts"].as_object_mut().unwrap().values_mut() {
            for t in account["tokens"].as_array_mut().unwrap() {
                let t = t.as_object_mut().unwrap();
                let had = t.remove("password_hash").is_some();
                let name = t["token"]["name"].as_str().unwrap_or_default().to_owned();
                let demo = partner_api::demo::DEMO_LOGINS
                    .iter()
                    .any(|l| l.login == name);
                let password = if demo {
                    "demo"
                } else if had {
                    "something-else"
                } else {
                    ""
                };
                t.insert("password".into(), password.into());
            }
        }
    }
    std::fs::write(&file, serde_json::to_vec(&v1).unwrap()).unwrap();
    let mut o = Options::new(Seed::None);
    o.data = Some(file.clone());
    let running = partner_sandbox::spawn_with("127.0.0.1:0", o.clone())
        .await
        .unwrap();
    call(&running.app, "dk-co", DIST, &GetWhoAmI).await.unwrap();
    running.task.abort();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\"format\":2"),
        "written back in the new format"
    );
    assert!(!text.contains("\"password\":"), "no password left as typed");
    // A file from a newer sandbox is refused with a reason, and left as it is.
    std::fs::write(&file, br#"{"format": 3, "regions": {}}"#).unwrap();
    let err = partner_sandbox::spawn_with("127.0.0.1:0", o)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("newer sandbox"), "{err}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        br#"{"format": 3, "regions": {}}"#
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn the_state_file_is_0600_and_its_temporary_file_is_file_dot_tmp() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("mode");
    // `--data x.tmp`: the temporary file is x.tmp.tmp, never the file itself.
    let file = dir.join("x.tmp");
    assert_eq!(
        partner_sandbox::store::temp_path(&file),
        dir.join("x.tmp.tmp")
    );
    assert_eq!(
        partner_sandbox::store::temp_path(&dir.join("state.json")),
        dir.join("state.json.tmp")
    );
    let world = Seed::Demo.build();
    partner_sandbox::store::save(&file, &world).unwrap();
    // A reader holding the old file keeps reading the old file whole: the save made a new
    // one (the rename), it did not write into this one.
    let old = std::fs::File::open(&file).unwrap();
    let before = std::fs::read(&file).unwrap();
    partner_sandbox::store::save(&file, &partner_sandbox::World::empty()).unwrap();
    let mut kept = Vec::new();
    std::io::Read::read_to_end(&mut &old, &mut kept).unwrap();
    assert_eq!(kept, before, "--data x.tmp was written in place");
    assert!(partner_sandbox::store::load(&file).unwrap().is_some());
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the state file is {mode:o}");
    // Even over a file that was readable by all.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(dir.join("x.tmp.tmp"), b"left by a crash").unwrap();
    std::fs::set_permissions(
        dir.join("x.tmp.tmp"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    partner_sandbox::store::save(&file, &world).unwrap();
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the state file is {mode:o}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Saving runs on the saver's thread: on a runtime with one worker, a read is answered while
/// a write waits for its (slow: a large world) save. Were the save done in the handler, the
/// only worker would be busy writing the file and the read would come after the write.
#[test]
fn saves_are_off_the_async_workers_debounced_and_acknowledged_once_on_disk() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = temp_dir("saver");
        let file = dir.join("state.json");
        let seed: Seed = "large:30000".parse().unwrap();
        let mut o = Options::new(seed);
        o.data = Some(file.clone());
        let running = partner_sandbox::spawn_with("127.0.0.1:0", o).await.unwrap();
        let app = running.app.clone();
        let root = root_of(&app, "dk-co", DIST).await;
        let saver = app.saver.clone().unwrap();
        let saves_before = saver.saves.load(std::sync::atomic::Ordering::Relaxed);
        let started = Instant::now();
        let writes: Vec<_> = (0..20)
            .map(|i| {
                let app = app.clone();
                let root = root.clone();
                tokio::spawn(async move {
                    call(
                        &app,
                        "dk-co",
                        DIST,
                        &CreateAccount {
                            parent: root,
                            account: UserCreate {
                                login: format!("burst-{i}@x.example"),
                                ..UserCreate::default()
                            },
                        },
                    )
                    .await
                    .unwrap();
                    Instant::now()
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(5)).await;
        call(&app, "dk-co", DIST, &GetWhoAmI).await.unwrap();
        let read_done = Instant::now();
        let mut first_write = None::<Instant>;
        for w in writes {
            let done = w.await.unwrap();
            first_write = Some(first_write.map_or(done, |f| f.min(done)));
        }
        let first_write = first_write.unwrap();
        assert!(
            read_done < first_write,
            "the read waited for a save: read answered after {:?}, the first write after {:?}",
            read_done - started,
            first_write - started
        );
        // Twenty writes, a few saves.
        let saves = saver.saves.load(std::sync::atomic::Ordering::Relaxed) - saves_before;
        assert!((1..=10).contains(&saves), "{saves} saves for 20 writes");
        // Every write that was answered is on disk already.
        let on_disk = partner_sandbox::store::load(&file).unwrap().unwrap();
        let r = &on_disk.regions["dk-co"];
        for i in 0..20 {
            assert!(
                r.logins.contains_key(&format!("burst-{i}@x.example")),
                "{i}"
            );
        }
        running.task.abort();
        let _ = std::fs::remove_dir_all(dir);
    });
}
