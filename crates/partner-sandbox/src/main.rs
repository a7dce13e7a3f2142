//! `partner-sandbox`: serve the Partner API locally. `partner-sandbox --help` for the flags.

use partner_sandbox::Seed;
use std::process::ExitCode;

const HELP: &str = "\
partner-sandbox: a local implementation of the Partner API (both families, seven regions)

USAGE:
    partner-sandbox [--listen ADDR] [--seed demo|none|large:N] [--data FILE]
                    [--faults] [--latency-ms N] [--dialect documented|inventions]

OPTIONS:
    --listen ADDR   address to listen on [default: 127.0.0.1:8787]
    --seed SEED     initial state [default: demo]
                      demo     the demo tree in dk-co, de-fr and us-dc with the logins
                               distributor@, partner@, msp@ and readonly@demo.example
                               (password: demo)
                      none     seven empty regions
                      large:N  about N accounts in dk-co: a level of 10,000+ children
                               (when N >= 20000), a chain 25 levels deep, the rest in
                               partners of 100 customers; same demo logins
    --data FILE     keep the state in FILE across restarts (loaded when it exists,
                    else seeded). Changes are saved off the request path, written
                    atomically through FILE.tmp (mode 0600, passwords hashed), and a
                    write is answered once it is on disk
    --faults        serve the fault controls for tests:
                      POST /_sandbox/faults  {\"method\": \"GET\", \"path_prefix\":
                        \"/dk-co/users\", \"count\": 2, \"fault\": \"status\", \"status\": 503}
                        faults: status (with optional retry_after and body), stall,
                        drop, malformed, lost (carried out, then the answer is lost:
                        the status when given, else a broken connection); GET lists
                        them, DELETE clears them
                      GET /_sandbox/faults/fired  how many calls each rule faulted
                      POST /_sandbox/reset   back to the seed
    --latency-ms N  delay every API answer by N milliseconds
    --dialect D     where the vendors' documents leave room [default: documented]
                      documented  what Keepit documents, and the sandbox's choices
                                  listed in docs/partner-api.md
                      inventions  what this sandbox did before: no parent on the
                                  caller's own account, external_id in the settings
                                  and a 409 when one is reused, {\"status\"} bodies
    -h, --help      print this help

Regions are path prefixes: http://ADDR/{region}/users/... (Accounts API, XML) and
http://ADDR/{region}/apis/accounts/v1/... (Enterprise API, JSON).
";

struct Options {
    listen: String,
    sandbox: partner_sandbox::Options,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        listen: "127.0.0.1:8787".into(),
        sandbox: partner_sandbox::Options::new(Seed::Demo),
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--listen" => options.listen = value("--listen")?,
            "--seed" => options.sandbox.seed = value("--seed")?.parse()?,
            "--data" => options.sandbox.data = Some(value("--data")?.into()),
            "--faults" => options.sandbox.faults = true,
            "--dialect" => options.sandbox.dialect = value("--dialect")?.parse()?,
            "--latency-ms" => {
                options.sandbox.latency_ms = value("--latency-ms")?
                    .parse()
                    .map_err(|_| "--latency-ms takes a whole number of milliseconds".to_string())?
            }
            other => return Err(format!("unknown argument “{other}”")),
        }
    }
    Ok(Some(options))
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(o)) => o,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("partner-sandbox: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let started = std::time::Instant::now();
    let seed = options.sandbox.seed;
    let running = match partner_sandbox::spawn_with(&options.listen, options.sandbox.clone()).await
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("partner-sandbox: cannot start on {}: {e}", options.listen);
            return ExitCode::FAILURE;
        }
    };
    let accounts = running.state.read().await.account_count();
    println!(
        "partner-sandbox: listening on http://{} (seed {}, {} accounts, ready in {} ms){}{}",
        running.addr,
        seed,
        accounts,
        started.elapsed().as_millis(),
        if options.sandbox.faults {
            ", fault controls on"
        } else {
            ""
        },
        options
            .sandbox
            .data
            .as_ref()
            .map(|d| format!(", state in {}", d.display()))
            .unwrap_or_default(),
    );
    tokio::select! {
        _ = running.task => ExitCode::FAILURE,
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}
