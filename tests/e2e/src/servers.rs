//! The servers around the browser: the built portal (`dist/`) from this process (axum) or
//! from real nginx running the site `partner-deploy` renders (over HTTPS, with a test CA's
//! certificate), the sandbox configurations the portal gets, a PSA tool's page on an origin
//! of its own, a plain HTTP or HTTPS GET, free ports.

use crate::seed::REGION;
use crate::waits::PATIENCE;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};
use tower_http::services::{ServeDir, ServeFile};

/// Where the release build is: `$PORTAL_DIST`, else `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("PORTAL_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist"))
}

/// The sandbox configuration behind nginx: the portal calls its own origin's `/{region}/`,
/// which nginx forwards to the sandbox's region prefixes, as it would to the region hosts.
pub fn nginx_sandbox_config(sandbox: SocketAddr) -> String {
    let port = sandbox.port();
    let regions: Vec<String> = partner_api::ids::PUBLIC_REGIONS
        .iter()
        .map(|(id, name, _)| {
            format!(
                r#"{{"id": "{id}", "name": "{name}", "sandbox": true,
                    "accounts": "http://127.0.0.1:{port}/{id}", "enterprise": "http://127.0.0.1:{port}/{id}/apis/accounts/v1"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"brand": {{"name": "Partner Portal E2E"}}, "default_region": "{REGION}", "timeout_seconds": 5,
            "proxy": "/{{region}}", "regions": [{}]}}"#,
        regions.join(",")
    )
}

/// The sandbox configuration in proxy form: the sandbox's `/{region}` prefixes are exactly
/// the shape of the production proxy.
pub fn sandbox_config(sandbox: SocketAddr) -> String {
    let regions: Vec<String> = partner_api::ids::PUBLIC_REGIONS
        .iter()
        .map(|(id, name, host)| {
            format!(
                r#"{{"id": "{id}", "name": "{name}", "sandbox": true,
                    "accounts": "https://{host}", "enterprise": "https://{host}/apis/accounts/v1"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"brand": {{"name": "Partner Portal E2E"}}, "default_region": "{REGION}", "timeout_seconds": 5,
            "proxy": "http://127.0.0.1:{}/{{region}}", "regions": [{}]}}"#,
        sandbox.port(),
        regions.join(",")
    )
}

/// This machine's address on its network (not loopback), found from the route it would take
/// out: no packet is sent.
pub fn this_machines_address() -> std::net::IpAddr {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").expect("a UDP socket");
    socket
        .connect("198.51.100.1:9")
        .expect("a route off this machine");
    let ip = socket.local_addr().expect("its address").ip();
    assert!(
        !ip.is_loopback(),
        "this machine has no address but loopback"
    );
    ip
}

/// `dist/` from this process on `host` (loopback, or any of this machine's addresses), with
/// `config.json` (or a 404) and extra files. Returns the port.
pub(crate) async fn serve_axum(
    host: std::net::IpAddr,
    dist: &std::path::Path,
    config_body: Option<String>,
    files: Vec<(String, Vec<u8>)>,
) -> u16 {
    // The .br and .gz copies of the hashed files, as the shipped nginx sends them.
    let static_files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(dist.join("index.html")));
    let mut app = Router::new().route(
        "/config.json",
        get(move || {
            let body = config_body.clone();
            async move {
                match body {
                    Some(b) => ([(header::CONTENT_TYPE, "application/json")], b).into_response(),
                    None => (StatusCode::NOT_FOUND, "no config here").into_response(),
                }
            }
        }),
    );
    for (path, body) in files {
        let kind = if path.ends_with(".svg") {
            "image/svg+xml"
        } else {
            "application/octet-stream"
        };
        app = app.route(
            &format!("/{path}"),
            get(move || {
                let body = body.clone();
                async move { ([(header::CONTENT_TYPE, kind)], body).into_response() }
            }),
        );
    }
    let app = app.fallback_service(static_files);
    let listener = tokio::net::TcpListener::bind((host, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

/// Real nginx running the site `partner-deploy` renders, over HTTPS with a certificate from
/// a test CA of its own, its plain HTTP listener only redirecting.
pub struct NginxFront {
    /// `https://localhost:PORT`.
    pub origin: String,
    /// The plain HTTP listener, `http://localhost:PORT`.
    pub plain: String,
    /// The test CA that signed the site's certificate: what [`https_get`] trusts.
    pub ca: PathBuf,
    /// The SPKI hash of the site's certificate: the one certificate Chromium is told to take
    /// (`--ignore-certificate-errors-spki-list`).
    pub spki: String,
    /// nginx's folder: `error.log`, the rendered `site.conf`, `root/` (the copy of `dist/`).
    pub dir: PathBuf,
    pub child: Child,
}

impl NginxFront {
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Real nginx (`$NGINX`, else `nginx` on the PATH) serving a copy of `dist/` with the test's
/// config.json, through the site `partner-deploy` renders from that config. A config the
/// portal must refuse cannot be rendered, so the sandbox's stands in for the site then. The
/// proxy trusts `upstream_ca` for the regions' certificates (Debian's bundle by default).
pub async fn serve_nginx(
    dist: &std::path::Path,
    config_body: Option<String>,
    files: Vec<(String, Vec<u8>)>,
    sandbox: SocketAddr,
    upstream_ca: Option<&std::path::Path>,
) -> NginxFront {
    let dir = nginx_dir();
    let root = dir.join("root");
    std::fs::create_dir_all(&root).expect("nginx folder");
    copy_dir(dist, &root);
    let _ = std::fs::remove_file(root.join("config.json"));
    if let Some(body) = &config_body {
        std::fs::write(root.join("config.json"), body).unwrap();
    }
    for (path, body) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, body).unwrap();
    }
    let (port, plain) = (free_port(), free_port());
    let parsed = config_body
        .as_deref()
        .and_then(|b| partner_api::config::PortalConfig::from_json(b).ok())
        .unwrap_or_else(|| {
            partner_api::config::PortalConfig::from_json(&nginx_sandbox_config(sandbox)).unwrap()
        });
    let tls = TestCa::new(&dir.join("tls"), "localhost");
    let site = partner_deploy::nginx_site(
        &parsed,
        &partner_deploy::Site {
            listen: format!("127.0.0.1:{port}"),
            root: root.display().to_string(),
            server_name: "localhost".into(),
            brotli: true,
            tls: partner_deploy::Tls::Here {
                certificate: tls.cert.display().to_string(),
                key: tls.key.display().to_string(),
                redirect_from: format!("127.0.0.1:{plain}"),
            },
            upstream_ca: upstream_ca.map_or(partner_deploy::DEBIAN_CA_BUNDLE.into(), |p| {
                p.display().to_string()
            }),
        },
    )
    .expect("the site renders");
    let child = start_nginx(&dir, &site, "", port).await;
    NginxFront {
        origin: format!("https://localhost:{port}"),
        plain: format!("http://localhost:{plain}"),
        ca: tls.ca,
        spki: tls.spki,
        dir,
        child,
    }
}

/// A new folder for one nginx, in the temp dir.
pub fn nginx_dir() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "pp-nginx-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("nginx folder");
    dir
}

/// Starts nginx in `dir` with `servers` (`server` blocks) and `extra` (more of the `http`
/// block, like a `log_format`) in its `http` block, and waits until `port` takes connections.
pub async fn start_nginx(dir: &std::path::Path, servers: &str, extra: &str, port: u16) -> Child {
    std::fs::write(dir.join("site.conf"), servers).unwrap();
    // The scaffolding around the shipped site: where nginx keeps its pid, logs and buffers.
    let d = dir.display();
    std::fs::write(
        dir.join("nginx.conf"),
        format!(
            "daemon off;
# One process, no workers: killing it (at the end, or when a test panics) leaves nothing
# behind. A killed master would orphan its workers, still listening.
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
# Debian's libnginx-mod-http-brotli-static (setup.sh installs it), for brotli_static.
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
             events {{ worker_connections 256; }}
             http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
               client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
               uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  {extra}
  include {d}/site.conf;
}}
"
        ),
    )
    .unwrap();
    let nginx = std::env::var("NGINX").unwrap_or_else(|_| {
        let debian = "/usr/sbin/nginx";
        if std::path::Path::new(debian).exists() {
            debian
        } else {
            "nginx"
        }
        .into()
    });
    let child = Command::new(nginx)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("nginx starts (scripts/setup.sh --browser installs it)");
    let deadline = Instant::now() + PATIENCE;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
            panic!("nginx never listened on {port}: {log}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child
}

/// `openssl ARGS` in `dir`; panics with its stderr when it fails.
fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl runs (Debian's openssl, which ca-certificates needs)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes `NAME.cnf`, a request for `CN=name` with `extensions`, and a new P-256 key.
fn request_config(dir: &std::path::Path, file: &str, name: &str, extensions: &str) {
    std::fs::write(
        dir.join(format!("{file}.cnf")),
        format!(
            "[req]\ndistinguished_name = dn\nprompt = no\nx509_extensions = ext\n\
             [dn]\nCN = {name}\n[ext]\n{extensions}\n"
        ),
    )
    .unwrap();
}

/// A self-signed certificate for `name` (`NAME.pem`, key `NAME.key` in `dir`), valid two
/// days: a region no CA vouches for.
pub fn self_signed(dir: &std::path::Path, name: &str) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    request_config(
        dir,
        name,
        name,
        &format!("basicConstraints = critical,CA:TRUE\nsubjectAltName = DNS:{name}"),
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "2",
            "-config",
            &format!("{name}.cnf"),
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.pem"),
        ],
    );
    (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.key")),
    )
}

/// A test CA of its own (`ca.pem`) and a server certificate it signed for one name
/// (`server.pem`, `server.key`), in `dir`.
pub struct TestCa {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
    /// base64 of the SHA-256 of the server certificate's public key (SPKI).
    pub spki: String,
}

impl TestCa {
    pub fn new(dir: &std::path::Path, name: &str) -> TestCa {
        let (ca, _) = self_signed(dir, "ca");
        request_config(
            dir,
            "server",
            name,
            &format!(
                "basicConstraints = CA:FALSE\nkeyUsage = digitalSignature\n\
                 extendedKeyUsage = serverAuth\nsubjectAltName = DNS:{name}"
            ),
        );
        openssl(
            dir,
            &[
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-config",
                "server.cnf",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
            ],
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-set_serial",
                "2",
                "-days",
                "2",
                "-extfile",
                "server.cnf",
                "-extensions",
                "ext",
                "-out",
                "server.pem",
            ],
        );
        let spki = std::process::Command::new("sh")
            .current_dir(dir)
            .arg("-c")
            .arg("openssl pkey -in server.key -pubout -outform DER | openssl dgst -sha256 -binary | openssl base64 -A")
            .output()
            .expect("openssl");
        TestCa {
            ca,
            cert: dir.join("server.pem"),
            key: dir.join("server.key"),
            spki: String::from_utf8(spki.stdout).unwrap().trim().to_owned(),
        }
    }
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("dist/ readable") {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A PSA tool's page on an origin of its own (`http://127.0.0.1:PORT`): it frames the URL in
/// its `?src=`, records every message from the frame in `window.received`, sizes the frame to
/// the `height` messages, and `window.tell(message)` posts to the frame.
pub async fn serve_host_page() -> String {
    const PAGE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>PSA tool</title></head>
<body><h1>PSA tool</h1>
<iframe id="portal" title="Partner Portal" style="width: 1000px; height: 200px; border: 1px solid #999"></iframe>
<script>
  window.received = [];
  const frame = document.getElementById('portal');
  addEventListener('message', e => {
    if (e.source !== frame.contentWindow) return;
    window.received.push({ origin: e.origin, data: e.data });
    if (e.data && e.data.type === 'height') frame.style.height = e.data.height + 'px';
  });
  window.tell = message => frame.contentWindow.postMessage(message, '*');
  frame.src = new URLSearchParams(location.search).get('src');
</script></body></html>"#;
    let app = Router::new().route(
        "/",
        get(|| async { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://127.0.0.1:{port}")
}

/// One plain HTTP/1.1 GET: status line and headers (lower-cased names), and the body's
/// length. For asserting what a server sends, without a browser in between.
pub async fn http_get(url: &str, headers: &[(&str, &str)]) -> (u16, Vec<(String, String)>, usize) {
    https_get(url, headers, None).await
}

/// [`http_get`], over TLS for an `https` URL, trusting only the CA certificates in `ca`.
pub async fn https_get(
    url: &str,
    headers: &[(&str, &str)],
    ca: Option<&std::path::Path>,
) -> (u16, Vec<(String, String)>, usize) {
    let parsed = url::Url::parse(url).expect("a URL");
    let host = parsed.host_str().unwrap().to_owned();
    let port = parsed.port_or_known_default().unwrap();
    let mut request = format!(
        "GET {} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n",
        &url[parsed.origin().ascii_serialization().len()..]
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let stream = tokio::net::TcpStream::connect((host.as_str(), port))
        .await
        .expect("connects");
    let answer = if parsed.scheme() == "https" {
        let ca = ca.expect("an https URL needs the CA to trust");
        let connector = tls_connector(ca);
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.clone()).unwrap();
        exchange(
            connector
                .connect(name, stream)
                .await
                .expect("a TLS session"),
            &request,
        )
        .await
    } else {
        exchange(stream, &request).await
    };
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, answer.len() - split - 4)
}

async fn exchange<S>(mut stream: S, request: &str) -> Vec<u8>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    // nginx may close without TLS's close_notify after `Connection: close`: what came is kept.
    let _ = stream.read_to_end(&mut answer).await;
    answer
}

fn tls_connector(ca: &std::path::Path) -> tokio_rustls::TlsConnector {
    use tokio_rustls::rustls::{self, pki_types::pem::PemObject};
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::CertificateDer::pem_file_iter(ca).expect("the CA file") {
        roots.add(cert.expect("a PEM certificate")).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
