//! The crash test: the real `partner-sandbox` binary with `--data`, killed with SIGKILL in the
//! middle of writes (creates, moves, deletes from 12 clients at once), restarted on the same
//! file, three times over. Every write it acknowledged must be in the file, and the state
//! must be consistent: every account's parent exists and lists it, every child listed
//! exists, every login names an account holding it. Figures in docs/reliability.md.

use partner_api::accounts::users::{
    CreateAccount, DeleteAccount, UpdateAccount, UserCreate, UserUpdate,
};
use partner_api::wire::auth::basic_authorization;
use partner_api::{AccountId, Call, Role};
use partner_sandbox::World;
use std::collections::HashMap;
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DIST: &str = "distributor@demo.example";
const CLIENTS: usize = 12;
const ROUNDS: usize = 3;

/// The sandbox's process, killed (SIGKILL) when dropped, so a failing test leaves none.
struct Sandbox(Child);

impl Sandbox {
    fn kill(&mut self) {
        self.0.kill().expect("SIGKILL");
        self.0.wait().unwrap();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(data: &Path) -> (Sandbox, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_partner-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--seed", "demo", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the sandbox starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (Sandbox(child), addr)
}

struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
}

type Client = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    http_body_util::Full<axum::body::Bytes>,
>;

fn client_for_tests() -> Client {
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http()
}

/// One request as `login`. `None` when the connection broke (the sandbox was killed): the
/// write may or may not have been made.
async fn send<C: Call>(addr: SocketAddr, login: &str, password: &str, c: &C) -> Option<Answer> {
    thread_local! {
        static CLIENT: Client = client_for_tests();
    }
    let client = CLIENT.with(Client::clone);
    let r = c.request();
    let mut req = axum::http::Request::builder()
        .method(r.method.as_str())
        .uri(format!(
            "http://{addr}/dk-co{}{}",
            r.family.root_path(),
            r.path_and_query()
        ))
        .header("authorization", basic_authorization(login, password));
    for (k, v) in &r.headers {
        req = req.header(*k, v.as_str());
    }
    let req = req
        .body(http_body_util::Full::new(axum::body::Bytes::from(
            r.body.clone().unwrap_or_default(),
        )))
        .unwrap();
    let resp = client.request(req).await.ok()?;
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .ok()?
        .to_bytes();
    Some(Answer {
        status,
        location,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

fn id_from(location: &str) -> AccountId {
    AccountId::parse(location.rsplit('/').next().unwrap()).unwrap()
}

/// What the clients were told: these writes were made.
#[derive(Default)]
struct Acknowledged {
    /// Login -> the parent it must have (its last acknowledged move, or where it was made).
    parent_of: HashMap<String, AccountId>,
    /// Logins whose last move was sent but not answered: either parent will do.
    moving: HashMap<String, AccountId>,
    /// Logins whose deletion was acknowledged: they must be gone.
    deleted: Vec<String>,
    writes: usize,
}

fn customer(login: &str) -> UserCreate {
    UserCreate {
        login: login.into(),
        password: Some(partner_api::fields::Secret("a-long-enough-password".into())),
        ..UserCreate::default()
    }
}

/// One client: a partner of its own under the distributor, then customers under it and a
/// second partner, moved between the two, some deleted, until the sandbox goes away.
async fn client(
    addr: SocketAddr,
    root: AccountId,
    round: usize,
    n: usize,
    ack: Arc<Mutex<Acknowledged>>,
) {
    let me = format!("crash-{round}-{n}@x.example");
    let mut partner = UserCreate {
        acl: Some(Role::PartnerParent),
        ..customer(&me)
    };
    partner.full_name = Some(format!("Client {n}"));
    let create = CreateAccount {
        parent: root.clone(),
        account: partner,
    };
    let Some(a) = send(addr, DIST, "demo", &create).await else {
        return;
    };
    assert_eq!(a.status, 201, "{}", a.body);
    let mine = id_from(&a.location.unwrap());
    {
        let mut ack = ack.lock().unwrap();
        ack.parent_of.insert(me.clone(), root.clone());
        ack.writes += 1;
    }
    let pw = "a-long-enough-password";
    let side_login = format!("crash-{round}-{n}-side@x.example");
    let side = CreateAccount {
        parent: mine.clone(),
        account: UserCreate {
            acl: Some(Role::PartnerParent),
            ..customer(&side_login)
        },
    };
    let Some(a) = send(addr, &me, pw, &side).await else {
        return;
    };
    assert_eq!(a.status, 201, "{}", a.body);
    let side = id_from(&a.location.unwrap());
    {
        let mut ack = ack.lock().unwrap();
        ack.parent_of.insert(side_login, mine.clone());
        ack.writes += 1;
    }
    let mut customers: Vec<(String, AccountId, AccountId)> = Vec::new();
    for k in 0.. {
        let login = format!("crash-{round}-{n}-{k}@x.example");
        let Some(a) = send(
            addr,
            &me,
            pw,
            &CreateAccount {
                parent: mine.clone(),
                account: customer(&login),
            },
        )
        .await
        else {
            return;
        };
        assert_eq!(a.status, 201, "{}", a.body);
        let id = id_from(&a.location.unwrap());
        {
            let mut ack = ack.lock().unwrap();
            ack.parent_of.insert(login.clone(), mine.clone());
            ack.writes += 1;
        }
        customers.push((login, id, mine.clone()));
        if k % 2 == 1 {
            // Move an earlier customer to the other partner.
            let (login, id, at) = customers[k / 2].clone();
            let to = if at == mine {
                side.clone()
            } else {
                mine.clone()
            };
            ack.lock().unwrap().moving.insert(login.clone(), to.clone());
            let mv = UpdateAccount {
                id,
                update: UserUpdate {
                    parent: Some(to.clone()),
                    ..UserUpdate::default()
                },
            };
            let Some(a) = send(addr, &me, pw, &mv).await else {
                return;
            };
            assert_eq!(a.status, 200, "{}", a.body);
            let mut ack = ack.lock().unwrap();
            ack.moving.remove(&login);
            ack.parent_of.insert(login.clone(), to.clone());
            ack.writes += 1;
            customers[k / 2].2 = to;
        }
        if k % 5 == 4 {
            // Delete the newest one.
            let (login, id, _) = customers.pop().unwrap();
            let Some(a) = send(addr, &me, pw, &DeleteAccount(id)).await else {
                return;
            };
            assert_eq!(a.status, 200, "{}", a.body);
            let mut ack = ack.lock().unwrap();
            ack.parent_of.remove(&login);
            ack.deleted.push(login);
            ack.writes += 1;
        }
    }
}

/// Every acknowledged write is in `world`, and the tree holds together.
fn check(world: &World, ack: &Acknowledged) {
    let r = &world.regions["dk-co"];
    for (login, parent) in &ack.parent_of {
        let account = r
            .account_of(login)
            .unwrap_or_else(|| panic!("{login} was acknowledged but is not in the file"));
        let has = account.parent.as_ref().unwrap();
        let moving = ack.moving.get(login);
        assert!(
            has == parent || Some(has) == moving,
            "{login} is under {has}, acknowledged under {parent}"
        );
    }
    for login in &ack.deleted {
        assert!(
            !r.logins.contains_key(login),
            "{login} was deleted, acknowledged, and is back"
        );
    }
    for (id, a) in &r.accounts {
        if let Some(p) = &a.parent {
            let parent = r
                .accounts
                .get(p)
                .unwrap_or_else(|| panic!("{id} has no parent {p}"));
            assert_eq!(
                parent.children.iter().filter(|c| *c == id).count(),
                1,
                "{p} does not list {id} once"
            );
        }
        for c in &a.children {
            assert_eq!(
                r.accounts.get(c).and_then(|c| c.parent.as_ref()),
                Some(id),
                "{id} lists {c}"
            );
        }
        // Every token that signs in is found by its name (a listed session signs nothing in).
        for t in a.tokens.iter().filter(|t| !t.password.is_none()) {
            assert_eq!(
                r.logins.get(&t.token.name),
                Some(id),
                "{} does not lead to {id}",
                t.token.name
            );
        }
    }
    for (login, id) in &r.logins {
        assert!(
            r.accounts[id].tokens.iter().any(|t| &t.token.name == login),
            "{login}"
        );
    }
}

#[test]
fn every_acknowledged_write_survives_sigkill_and_the_tree_holds_together() {
    let dir = std::env::temp_dir().join(format!(
        "pp-crash-{}-{}",
        std::process::id(),
        partner_sandbox::clock::unix_now()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let ack = Arc::new(Mutex::new(Acknowledged::default()));
    let root = partner_sandbox::Seed::Demo.build().regions["dk-co"]
        .account_of(DIST)
        .unwrap()
        .id
        .clone();
    for round in 0..ROUNDS {
        let (mut child, addr) = start(&file);
        let before = ack.lock().unwrap().writes;
        let started = Instant::now();
        runtime.block_on(async {
            let clients: Vec<_> = (0..CLIENTS)
                .map(|n| tokio::spawn(client(addr, root.clone(), round, n, ack.clone())))
                .collect();
            // Kill at a different moment each round, in the middle of the writes.
            tokio::time::sleep(Duration::from_millis(1200 + 700 * round as u64)).await;
            child.kill();
            for c in clients {
                c.await.expect("a client failed");
            }
        });
        let writes = ack.lock().unwrap().writes - before;
        eprintln!(
            "round {round}: {writes} writes acknowledged in {:?}, then SIGKILL",
            started.elapsed()
        );
        assert!(
            writes > 20,
            "round {round}: only {writes} writes before the kill"
        );
        // Restart on the same file: it starts, and the file holds every acknowledged write.
        let (mut again, addr) = start(&file);
        let world = partner_sandbox::store::load(&file)
            .unwrap()
            .expect("the state file");
        check(&world, &ack.lock().unwrap());
        runtime.block_on(async {
            let who = send(addr, DIST, "demo", &partner_api::accounts::users::GetWhoAmI)
                .await
                .unwrap();
            assert_eq!(who.status, 200);
        });
        again.kill();
    }
    let ack = ack.lock().unwrap();
    eprintln!(
        "{} writes acknowledged over {ROUNDS} kills, {} accounts checked, {} deletions, {} moves in flight at a kill",
        ack.writes,
        ack.parent_of.len(),
        ack.deleted.len(),
        ack.moving.len()
    );
    let _ = std::fs::remove_dir_all(dir);
}
