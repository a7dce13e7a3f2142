//! A bounded load test of the sandbox on loopback (`scripts/load.sh`): it starts the
//! `partner-sandbox` binary with `--data` in a temporary directory, gives each client a
//! partner account of its own in one of the demo regions (dk-co, de-fr, us-dc), then runs
//! every client at once for a fixed time, each sending one call after another: reads (its
//! sub-accounts, an account's settings, who it is), creates of customers, and moves of its
//! customers between its two partner accounts. It stops by itself, stops the sandbox, and
//! prints throughput, p50/p99 latency per kind of call, and every answer that was not a
//! success, split into the sandbox's designed limits (503, 408, 413, a cap's 403) and errors.
//! It exits non-zero when there was any error.
//!
//! `load --sandbox PATH [--clients 200] [--seconds 30]`

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use partner_api::accounts::children::ListChildren;
use partner_api::accounts::users::{
    CreateAccount, GetAccount, GetWhoAmI, UpdateAccount, UserCreate, UserUpdate,
};
use partner_api::fields::Secret;
use partner_api::wire::auth::basic_authorization;
use partner_api::{AccountId, Call, Role};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Http = Client<HttpConnector, Full<Bytes>>;

const PASSWORD: &str = "a-long-enough-password";

struct Answer {
    status: u16,
    location: Option<String>,
}

/// One call; `Err` for no answer at all.
async fn send<C: Call>(
    http: &Http,
    addr: SocketAddr,
    region: &str,
    login: &str,
    c: &C,
) -> Result<Answer, String> {
    let r = c.request();
    let mut req = axum::http::Request::builder()
        .method(r.method.as_str())
        .uri(format!(
            "http://{addr}/{region}{}{}",
            r.family.root_path(),
            r.path_and_query()
        ))
        .header(
            "authorization",
            basic_authorization(
                login,
                if login.contains("demo.example") {
                    "demo"
                } else {
                    PASSWORD
                },
            ),
        );
    for (k, v) in &r.headers {
        req = req.header(*k, v.as_str());
    }
    let req = req
        .body(Full::new(Bytes::from(r.body.clone().unwrap_or_default())))
        .map_err(|e| e.to_string())?;
    let resp = http.request(req).await.map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    resp.into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?;
    Ok(Answer { status, location })
}

fn id_from(a: &Answer) -> AccountId {
    AccountId::parse(
        a.location
            .as_deref()
            .unwrap_or_default()
            .rsplit('/')
            .next()
            .unwrap(),
    )
    .expect("a Location with the new id")
}

fn new_account(login: &str, partner: bool) -> UserCreate {
    UserCreate {
        login: login.into(),
        password: Some(Secret(PASSWORD.into())),
        acl: partner.then_some(Role::PartnerParent),
        ..UserCreate::default()
    }
}

#[derive(Default)]
struct Tally {
    /// Microseconds per call, by kind.
    latency: BTreeMap<&'static str, Vec<u32>>,
    /// Answers that were not a success: (kind, status or "no answer") -> count.
    limits: BTreeMap<String, u64>,
    errors: BTreeMap<String, u64>,
}

impl Tally {
    fn record(&mut self, kind: &'static str, took: Duration, answer: &Result<Answer, String>) {
        self.latency
            .entry(kind)
            .or_default()
            .push(took.as_micros().min(u128::from(u32::MAX)) as u32);
        match answer {
            Ok(a) if (200..300).contains(&a.status) => {}
            // The limits this sandbox was designed with (src/limits.rs).
            Ok(a) if matches!(a.status, 503 | 408 | 413 | 403) => {
                *self
                    .limits
                    .entry(format!("{kind} {}", a.status))
                    .or_default() += 1
            }
            Ok(a) => {
                *self
                    .errors
                    .entry(format!("{kind} {}", a.status))
                    .or_default() += 1
            }
            Err(e) => {
                *self
                    .errors
                    .entry(format!("{kind} no answer: {e}"))
                    .or_default() += 1
            }
        }
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

struct Client1 {
    region: &'static str,
    login: String,
    mine: AccountId,
    side: AccountId,
}

async fn setup(http: &Http, addr: SocketAddr, n: usize) -> Client1 {
    let region = partner_api::demo::DEMO_REGIONS[n % 3];
    let dist = partner_api::demo::DEMO_LOGINS[0].login;
    let who = send_whoami(http, addr, region, dist).await;
    let login = format!("load-{n}@x.example");
    let a = send(
        http,
        addr,
        region,
        dist,
        &CreateAccount {
            parent: who,
            account: new_account(&login, true),
        },
    )
    .await
    .expect("setup create");
    assert_eq!(a.status, 201, "setup: the client's partner account");
    let mine = id_from(&a);
    let side_login = format!("load-{n}-side@x.example");
    let a = send(
        http,
        addr,
        region,
        &login,
        &CreateAccount {
            parent: mine.clone(),
            account: new_account(&side_login, true),
        },
    )
    .await
    .expect("setup create");
    assert_eq!(a.status, 201, "setup: the client's second partner account");
    Client1 {
        region,
        login,
        side: id_from(&a),
        mine,
    }
}

async fn send_whoami(http: &Http, addr: SocketAddr, region: &str, login: &str) -> AccountId {
    let r = GetWhoAmI.request();
    let req = axum::http::Request::builder()
        .uri(format!(
            "http://{addr}/{region}{}{}",
            r.family.root_path(),
            r.path_and_query()
        ))
        .header("authorization", basic_authorization(login, "demo"))
        .body(Full::new(Bytes::new()))
        .unwrap();
    let resp = http.request(req).await.expect("whoami");
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    partner_api::accounts::users::WhoAmI::from_xml(&String::from_utf8_lossy(&body))
        .expect("whoami")
        .id
}

async fn run(
    http: Http,
    addr: SocketAddr,
    me: Client1,
    n: usize,
    until: Instant,
    tally: Arc<Mutex<Tally>>,
) {
    let mut customers: Vec<(AccountId, bool)> = Vec::new();
    let mut local = Tally::default();
    let mut k = 0usize;
    while Instant::now() < until {
        k += 1;
        let started = Instant::now();
        // 60 % reads, 25 % creates, 15 % moves.
        let (kind, answer) = match k % 20 {
            0..=4 => (
                "read: sub-accounts",
                send(
                    &http,
                    addr,
                    me.region,
                    &me.login,
                    &ListChildren(me.mine.clone()),
                )
                .await,
            ),
            5..=8 => (
                "read: settings",
                send(
                    &http,
                    addr,
                    me.region,
                    &me.login,
                    &GetAccount(me.side.clone()),
                )
                .await,
            ),
            9..=11 => (
                "read: who am I",
                send(&http, addr, me.region, &me.login, &GetWhoAmI).await,
            ),
            12..=16 => {
                let login = format!("load-{n}-{k}@x.example");
                let a = send(
                    &http,
                    addr,
                    me.region,
                    &me.login,
                    &CreateAccount {
                        parent: me.mine.clone(),
                        account: new_account(&login, false),
                    },
                )
                .await;
                if let Some(ok) = a.as_ref().ok().filter(|a| a.status == 201) {
                    customers.push((id_from(ok), false));
                }
                ("create", a)
            }
            _ => {
                if customers.is_empty() {
                    continue;
                }
                let i = k % customers.len();
                let (id, on_side) = customers[i].clone();
                let to = if on_side {
                    me.mine.clone()
                } else {
                    me.side.clone()
                };
                let a = send(
                    &http,
                    addr,
                    me.region,
                    &me.login,
                    &UpdateAccount {
                        id,
                        update: UserUpdate {
                            parent: Some(to),
                            ..UserUpdate::default()
                        },
                    },
                )
                .await;
                if a.as_ref().is_ok_and(|a| a.status == 200) {
                    customers[i].1 = !on_side;
                }
                ("move", a)
            }
        };
        local.record(kind, started.elapsed(), &answer);
    }
    let mut t = tally.lock().unwrap();
    for (k, mut v) in local.latency {
        t.latency.entry(k).or_default().append(&mut v);
    }
    for (k, v) in local.limits {
        *t.limits.entry(k).or_default() += v;
    }
    for (k, v) in local.errors {
        *t.errors.entry(k).or_default() += v;
    }
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let clients: usize = flag("--clients")
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seconds: u64 = flag("--seconds").and_then(|v| v.parse().ok()).unwrap_or(30);
    let sandbox = flag("--sandbox").expect("--sandbox PATH of the partner-sandbox binary");

    let dir = std::env::temp_dir().join(format!("pp-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("state.json");
    let mut child = Command::new(&sandbox)
        .args(["--listen", "127.0.0.1:0", "--seed", "demo", "--data"])
        .arg(&data)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the sandbox starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .expect("the sandbox's address");
    println!(
        "load: {clients} clients for {seconds} s against {addr} (--data {})",
        data.display()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let took = runtime.block_on(async {
        let http: Http = Client::builder(hyper_util::rt::TokioExecutor::new())
            .pool_max_idle_per_host(clients + 16)
            .build_http();
        let mut ready = Vec::new();
        for n in 0..clients {
            ready.push(setup(&http, addr, n).await);
        }
        let started = Instant::now();
        let until = started + Duration::from_secs(seconds);
        let tasks: Vec<_> = ready
            .into_iter()
            .enumerate()
            .map(|(n, me)| tokio::spawn(run(http.clone(), addr, me, n, until, tally.clone())))
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        started.elapsed()
    });
    let _ = child.kill();
    let _ = child.wait();
    let saved = std::fs::metadata(&data).map(|m| m.len()).unwrap_or(0);
    let world = partner_sandbox::store::load(&data).ok().flatten();
    let _ = std::fs::remove_dir_all(&dir);

    let t = tally.lock().unwrap();
    let total: usize = t.latency.values().map(Vec::len).sum();
    println!(
        "load: {total} calls in {:.1} s: {:.0} calls/s",
        took.as_secs_f64(),
        total as f64 / took.as_secs_f64()
    );
    let mut all: Vec<u32> = t.latency.values().flatten().copied().collect();
    all.sort_unstable();
    println!(
        "load: {:<20} {:>8} calls  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
        "all",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
    for (kind, v) in &t.latency {
        let mut v = v.clone();
        v.sort_unstable();
        println!(
            "load: {:<20} {:>8} calls  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            kind,
            v.len(),
            percentile(&v, 0.5),
            percentile(&v, 0.99),
            percentile(&v, 1.0)
        );
    }
    if let Some(w) = world {
        println!(
            "load: the state file holds {} accounts ({:.1} MB)",
            w.account_count(),
            saved as f64 / 1e6
        );
    }
    let limits: u64 = t.limits.values().sum();
    let errors: u64 = t.errors.values().sum();
    println!("load: answers at a designed limit: {limits} {:?}", t.limits);
    println!("load: errors: {errors} {:?}", t.errors);
    if errors > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
