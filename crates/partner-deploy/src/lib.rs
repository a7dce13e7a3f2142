//! # partner-deploy: serving `dist/`
//!
//! Three functions, each behind a subcommand of the `partner-deploy` binary (the first two
//! are pure; the third writes files):
//!
//! - [`nginx_site`] renders the nginx `server` block that serves a built portal from the same
//!   `config.json` the portal reads, so the Content-Security-Policy's `connect-src`, the
//!   `frame-ancestors` of embedding, and the `/{region}/` proxy locations cannot drift from
//!   the regions and origins the portal uses.
//! - [`externalize_loader`] moves the loader script Trunk writes inline into `index.html` into
//!   a file of its own, so `script-src 'self' 'wasm-unsafe-eval'` needs no `'unsafe-inline'`.
//!   Trunk runs it as a `post_build` hook (`Trunk.toml`).
//! - [`precompress`] writes a brotli (`.br`) and a gzip (`.gz`) copy of every hashed file,
//!   compressed once at the highest level, for nginx's `brotli_static` and `gzip_static`. The
//!   same hook runs it after release builds.
//! - [`chunks::split_into`] cuts a release build's wasm into a main module and the pages'
//!   chunks, before the compression (the same hook, release builds only).

pub mod chunks;

use partner_api::config::{origin_of, Embed, PortalConfig, RegionConfig};
use std::fmt::Write;
use std::path::Path;

/// Where and how the site is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// `listen` directive, an address without flags: `443`, `127.0.0.1:8443`. With
    /// [`Tls::Here`] it takes HTTPS (the renderer adds `ssl`); with [`Tls::InFront`], the
    /// plain HTTP a TLS terminator forwards.
    pub listen: String,
    /// The folder holding the built portal (`dist/`).
    pub root: String,
    /// `server_name`.
    pub server_name: String,
    /// Serve the `.br` files [`precompress`] wrote (`brotli_static on`). Needs nginx's brotli
    /// module: Debian's `libnginx-mod-http-brotli-static`.
    pub brotli: bool,
    /// Who speaks TLS to the browser.
    pub tls: Tls,
    /// The CA certificates (PEM) the `/{region}/` proxy verifies each region's certificate
    /// against: [`DEBIAN_CA_BUNDLE`] unless a region's certificate comes from a private CA.
    pub upstream_ca: String,
}

/// Who terminates the browser's TLS. There is no plain-HTTP-only site: partners type their
/// Basic credentials into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    /// This nginx, with the certificate chain and key at these paths. `redirect_from` is a
    /// plain HTTP listener (`80`) that only redirects to HTTPS.
    Here {
        certificate: String,
        key: String,
        redirect_from: String,
    },
    /// A TLS terminator in front (a load balancer, a CDN) speaks HTTPS to browsers, redirects
    /// their plain HTTP, and forwards to `listen` in plain HTTP. The site still sends
    /// `Strict-Transport-Security`: the browser gets it over the terminator's HTTPS.
    InFront,
}

/// Debian's bundle of the CAs browsers trust (package `ca-certificates`): what the proxy
/// trusts by default.
pub const DEBIAN_CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The files whose names carry a content hash (`main-0123456789abcdef.css`,
/// `partner-portal-0123456789abcdef_bg.wasm`): cached for a year, and compressed ahead of
/// time. Exactly what [`HASHED_ASSET`] matches in nginx.
///
/// Trunk writes its 64-bit hash in hex without leading zeros, so one build in sixteen has a
/// 15-digit hash (`partner-portal-5009e203739e73e_bg.wasm` was seen). 12 to 16 digits are
/// taken: a shorter hash comes once in a million builds, and a file then only misses the
/// long cache.
pub fn is_hashed_asset(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    matches!(ext, "wasm" | "js" | "css")
        && (12..=16).contains(&hash.len())
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The nginx location regex for [`is_hashed_asset`] files.
const HASHED_ASSET: &str = "\"-[0-9a-f]{12,16}(_bg)?\\.(wasm|js|css)$\"";

/// Files smaller than this are sent as they are (nginx's `gzip_min_length` is the same).
const COMPRESS_FROM: usize = 512;

/// One file [`precompress`] compressed: its name and its size raw, as brotli and as gzip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compressed {
    pub name: String,
    pub raw: usize,
    pub brotli: usize,
    pub gzip: usize,
}

/// Writes `NAME.br` (brotli, quality 11) and `NAME.gz` (gzip, level 9) next to every hashed
/// file of `dir` of at least 512 bytes. Only hashed files: `index.html`, `config.json` and the
/// brand's images are edited after a build, and a stale compressed copy would be served in
/// their place.
pub fn precompress(dir: &Path) -> std::io::Result<Vec<Compressed>> {
    let mut done = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| is_hashed_asset(n))
        .collect();
    names.sort();
    for name in names {
        let raw = std::fs::read(dir.join(&name))?;
        if raw.len() < COMPRESS_FROM {
            continue;
        }
        let br = brotli_bytes(&raw)?;
        let gz = gzip_bytes(&raw)?;
        std::fs::write(dir.join(format!("{name}.br")), &br)?;
        std::fs::write(dir.join(format!("{name}.gz")), &gz)?;
        done.push(Compressed {
            name,
            raw: raw.len(),
            brotli: br.len(),
            gzip: gz.len(),
        });
    }
    Ok(done)
}

/// The size of `raw` compressed as [`precompress`] compresses it.
pub(crate) fn brotli_len(raw: &[u8]) -> usize {
    brotli_bytes(raw).map_or(raw.len(), |b| b.len())
}

fn brotli_bytes(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        size_hint: raw.len(),
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params)?;
    Ok(out)
}

fn gzip_bytes(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(raw.len() / 3),
        flate2::Compression::best(),
    );
    encoder.write_all(raw)?;
    encoder.finish()
}

/// Paths of the portal itself, which a region id used as a proxy prefix must not shadow.
const PORTAL_PATHS: [&str; 8] = [
    "accounts",
    "sign-in",
    "billing",
    "settings",
    "shares",
    "revisions",
    "config.json",
    "index.html",
];

/// The Content-Security-Policy for a configuration: scripts only from the site (plus
/// WebAssembly compilation), API calls only to the proxy or the regions, brand images only
/// from where the brand says, and framing only by the embedding allow-list.
pub fn content_security_policy(config: &PortalConfig) -> String {
    let list = |mut sources: Vec<String>, base: &str| {
        sources.insert(0, base.to_owned());
        sources.join(" ")
    };
    let frame_ancestors = if config.embed.allowed_origins.is_empty() {
        "'none'".to_owned()
    } else {
        config.embed.allowed_origins.join(" ")
    };
    [
        "default-src 'self'".to_owned(),
        "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
        // Leptos sets `style` attributes (tree rows are positioned that way); style sheets
        // still come only from the site.
        "style-src 'self'".to_owned(),
        "style-src-attr 'unsafe-inline'".to_owned(),
        format!("img-src {}", list(config.image_origins(), "'self' data:")),
        format!("connect-src {}", list(config.api_origins(), "'self'")),
        format!("frame-ancestors {frame_ancestors}"),
        "base-uri 'self'".to_owned(),
        "form-action 'self'".to_owned(),
        "object-src 'none'".to_owned(),
    ]
    .join("; ")
}

/// The proxy prefix of a same-origin proxy template (`/{region}` or `/api/{region}`), with the
/// `{region}` still in it; `None` when calls go straight to the regions or to another host.
fn proxy_prefix(config: &PortalConfig) -> Option<&str> {
    config
        .proxy
        .as_deref()
        .filter(|p| p.starts_with('/'))
        .map(|p| p.trim_end_matches('/'))
}

/// Renders the nginx `server` block. Errors name what in the configuration stops it.
pub fn nginx_site(config: &PortalConfig, site: &Site) -> Result<String, String> {
    for (what, value) in [
        ("listen", &site.listen),
        ("root", &site.root),
        ("server-name", &site.server_name),
    ] {
        check_value(what, value)?;
    }
    if let Tls::Here {
        certificate,
        key,
        redirect_from,
    } = &site.tls
    {
        for (what, value) in [
            ("tls-cert", certificate),
            ("tls-key", key),
            ("http-listen", redirect_from),
        ] {
            check_value(what, value)?;
        }
        if site.listen.split_whitespace().count() != 1 {
            return Err(format!(
                "--listen “{}” is an address only (the renderer adds `ssl`).",
                site.listen
            ));
        }
    }
    check_value("upstream-ca", &site.upstream_ca)?;
    let portal_headers = security_headers(&content_security_policy(config), &config.embed);
    // nginx drops the server's add_header lines in a location that has its own, so every
    // location repeats them.
    let location = |matcher: &str, cache: &str, body: &str| {
        format!(
            "    location {matcher} {{\n{portal_headers}        add_header Cache-Control \"{cache}\" always;\n{body}    }}\n\n"
        )
    };

    let mut out = String::new();
    out.push_str(
        "# Partner Portal: rendered by `partner-deploy nginx` from config.json.\n\
         # Re-render after changing regions, the proxy or the embedding allow-list:\n\
         #   partner-deploy nginx --config dist/config.json --root /srv/partner-portal \\\n\
         #       --tls-cert FULLCHAIN.pem --tls-key KEY.pem --server-name portal.example.com\n\
         # Include it inside nginx's `http` block (Debian: /etc/nginx/sites-enabled/).\n\n",
    );
    if let Tls::Here { redirect_from, .. } = &site.tls {
        out.push_str(&redirect_server(site, redirect_from));
    }
    let _ = writeln!(out, "server {{");
    let listen = match &site.tls {
        Tls::Here { .. } => format!("    listen {} ssl;\n", site.listen),
        Tls::InFront => format!(
            "    # Plain HTTP from the TLS terminator in front, which speaks HTTPS to browsers and\n\
             \x20   # redirects their plain HTTP: this port must be reachable from it alone.\n\
             \x20   listen {};\n",
            site.listen
        ),
    };
    out.push_str(&listen);
    let _ = writeln!(out, "    server_name {};", site.server_name);
    if let Tls::Here {
        certificate, key, ..
    } = &site.tls
    {
        let _ = write!(
            out,
            "    ssl_certificate {certificate};\n\
             \x20   ssl_certificate_key {key};\n\
             \x20   ssl_protocols TLSv1.2 TLSv1.3;\n"
        );
    }
    let _ = writeln!(out, "    root {};", site.root);
    out.push_str(
        "    index index.html;\n    server_tokens off;\n    charset utf-8;\n\n\
         \x20   gzip on;\n    gzip_vary on;\n    gzip_min_length 512;\n\
         \x20   gzip_types application/wasm application/javascript text/css application/json image/svg+xml;\n\
         \x20   # The hashed files' .gz and .br copies, compressed ahead of time (partner-deploy\n\
         \x20   # compress, run after every release build), are served as they are.\n\
         \x20   gzip_static on;\n",
    );
    if site.brotli {
        out.push_str(
            "    # Needs nginx's brotli module (Debian: libnginx-mod-http-brotli-static); render\n\
             \x20   # with --no-brotli for an nginx without it.\n\
             \x20   brotli_static on;\n",
        );
    }
    out.push('\n');
    out.push_str(&location(
        "= /config.json",
        "no-cache",
        "        try_files $uri =404;\n",
    ));
    out.push_str(&location(
        "= /index.html",
        "no-cache",
        "        try_files $uri =404;\n",
    ));
    out.push_str(&location(
        &format!("~ {HASHED_ASSET}"),
        "public, max-age=31536000, immutable",
        "        try_files $uri =404;\n",
    ));
    out.push_str(&location(
        "/",
        "no-cache",
        "        # Every route of the single-page app is index.html.\n        try_files $uri /index.html;\n",
    ));

    match proxy_prefix(config) {
        Some(template) => {
            let headers = security_headers(PROXIED_CSP, &Embed::default());
            for region in &config.regions {
                out.push_str(&proxy_locations(template, region, &headers, site)?);
            }
        }
        None => out.push_str(
            "    # config.json has no same-origin \"proxy\" (like \"/{region}\"): the portal calls the\n\
             \x20   # regions (or another proxy host) directly, and this site proxies nothing.\n\n",
        ),
    }
    out.push_str("}\n");
    Ok(out)
}

/// What a proxied answer may do once it is on the portal's origin: nothing. A region's HTML
/// error page opened in a tab runs no script, loads nothing and is a sandboxed (opaque)
/// origin, so it cannot reach the portal's storage. The portal's own `fetch` of an answer is
/// not affected: a CSP governs documents, not the data a page reads.
pub const PROXIED_CSP: &str = "default-src 'none'; sandbox";

/// The `add_header` lines every location repeats (nginx inherits none into a location that
/// has its own): the CSP given, then the headers every answer of the site carries.
fn security_headers(csp: &str, embed: &Embed) -> String {
    let mut headers = String::new();
    for (name, value) in [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Strict-Transport-Security", "max-age=31536000"),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ] {
        let _ = writeln!(headers, "        add_header {name} \"{value}\" always;");
    }
    if embed.allowed_origins.is_empty() {
        // For browsers older than frame-ancestors; with an allow-list there is no way to say it.
        headers.push_str("        add_header X-Frame-Options \"DENY\" always;\n");
    }
    headers
}

/// The names of the headers [`security_headers`] sets: a region's own are dropped from a
/// proxied answer, so the site's are the only ones the browser reads.
const SECURITY_HEADERS: [&str; 6] = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Strict-Transport-Security",
    "Permissions-Policy",
    "X-Frame-Options",
];

/// A value for a directive: refused when it could end or open one.
fn check_value(what: &str, value: &str) -> Result<(), String> {
    if value.is_empty() || value.contains([';', '{', '}', '"', '\'', '\n', '$', '#']) {
        return Err(format!("--{what} “{value}” cannot go into nginx.conf."));
    }
    Ok(())
}

/// The plain HTTP server of a site that serves TLS itself: every request is sent to the same
/// path over HTTPS, so nothing of the portal (and no credentials) ever goes in clear.
fn redirect_server(site: &Site, from: &str) -> String {
    // The configured name, when there is one; `$host` (what the browser asked for) only when
    // the site answers to any name.
    let single_name = site.server_name.split_whitespace().count() == 1
        && !site.server_name.contains(['_', '*', '~']);
    let host = if single_name {
        site.server_name.as_str()
    } else {
        "$host"
    };
    let port = match site.listen.rsplit(':').next() {
        Some(p) if p != "443" && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            format!(":{p}")
        }
        _ => String::new(),
    };
    format!(
        "# Plain HTTP only redirects: the portal and the credentials typed into it go over HTTPS.\n\
         server {{\n\
         \x20   listen {from};\n\
         \x20   server_name {};\n\
         \x20   server_tokens off;\n\
         \x20   location / {{\n\
         \x20       return 301 https://{host}{port}$request_uri;\n\
         \x20   }}\n\
         }}\n\n",
        site.server_name
    )
}

/// The locations forwarding `/{region}/` to a region's Accounts API host, and
/// `/{region}/apis/accounts/v1/` to its Enterprise API root. Nothing is added but routing:
/// credentials pass through, cookies and Basic challenges do not. `^~` keeps the asset
/// regex from ever matching an API path.
///
/// The region's certificate is verified (nginx's default is not to): its chain up to
/// `site.upstream_ca`, and its name against the region's host, which also goes out as SNI.
/// A region that cannot prove its name gets no request, so no partner's credentials.
fn proxy_locations(
    template: &str,
    region: &RegionConfig,
    headers: &str,
    site: &Site,
) -> Result<String, String> {
    let prefix = template.replace("{region}", region.id.as_str());
    let first = prefix
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    if PORTAL_PATHS.contains(&first) {
        return Err(format!(
            "The proxy path {prefix} would hide the portal's own page /{first}: use a prefix such as /api/{{region}}."
        ));
    }
    let mut hidden = String::new();
    for name in SECURITY_HEADERS {
        let _ = writeln!(hidden, "        proxy_hide_header {name};");
    }
    let mut out = String::new();
    let families = [
        (format!("{prefix}/apis/accounts/v1/"), &region.enterprise),
        (format!("{prefix}/"), &region.accounts),
    ];
    for (path, upstream) in families {
        let Some(upstream) = upstream else { continue };
        if upstream.contains([';', '{', '}', '"', '\'', '\n', '$', ' '])
            || origin_of(upstream).is_none()
        {
            return Err(format!(
                "Region {}: “{upstream}” cannot go into nginx.conf.",
                region.id
            ));
        }
        let _ = write!(
            out,
            "    location ^~ {path} {{\n\
             \x20       proxy_pass {}/;\n\
             \x20       # Only to the region itself: its certificate chain and its name are checked.\n\
             \x20       proxy_ssl_verify on;\n\
             \x20       proxy_ssl_verify_depth 3;\n\
             \x20       proxy_ssl_trusted_certificate {};\n\
             \x20       proxy_ssl_server_name on;\n\
             \x20       proxy_ssl_protocols TLSv1.2 TLSv1.3;\n\
             \x20       proxy_http_version 1.1;\n\
             \x20       proxy_set_header Cookie \"\";\n\
             \x20       proxy_hide_header Set-Cookie;\n\
             \x20       # A region's Basic challenge would make the browser pop up its own login box.\n\
             \x20       proxy_hide_header WWW-Authenticate;\n\
             {hidden}\
             \x20       proxy_read_timeout 120s;\n\
             {headers}\
             \x20       add_header Cache-Control \"no-store\" always;\n\
             \x20   }}\n\n",
            upstream.trim_end_matches('/'),
            site.upstream_ca,
        );
    }
    Ok(out)
}

/// Moves Trunk's inline `<script type="module">` loader out of `index.html`. Returns the new
/// page, the script's file name and its text; `None` when the page has no inline script (it
/// was already moved).
pub fn externalize_loader(index_html: &str) -> Option<(String, String, String)> {
    let mut from = 0;
    while let Some(start) = index_html[from..].find("<script").map(|i| i + from) {
        let open_end = start + index_html[start..].find('>')?;
        let open_tag = &index_html[start..=open_end];
        let close = open_end + index_html[open_end..].find("</script>")?;
        if !open_tag.contains("src=") {
            let script = index_html[open_end + 1..close].trim().to_owned();
            let name = format!("boot-{:016x}.js", fnv1a(script.as_bytes()));
            let page = format!(
                "{}<script type=\"module\" src=\"/{name}\"></script>{}",
                &index_html[..start],
                &index_html[close + "</script>".len()..]
            );
            return Some((page, name, script + "\n"));
        }
        from = close;
    }
    None
}

/// `index.html` with the file `old` renamed to `new` everywhere (the loader, the preload
/// links), and the `integrity` of the tag that loads it set to `sri`.
pub fn rename_in_page(html: &str, old: &str, new: &str, sri: &str) -> String {
    let html = html.replace(old, new);
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..end];
        out.push_str(&rest[..start]);
        if tag.starts_with("<link") && tag.contains(new) {
            out.push_str(&with_integrity(tag, sri));
        } else {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The tag with its `integrity` value (quoted or not) replaced.
fn with_integrity(tag: &str, sri: &str) -> String {
    let Some(at) = tag.find("integrity=") else {
        return tag.to_owned();
    };
    let value_start = at + "integrity=".len();
    let value = &tag[value_start..];
    let value_len = match value.chars().next() {
        Some(q @ ('"' | '\'')) => value[1..].find(q).map_or(value.len(), |e| e + 2),
        _ => value
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(value.len()),
    };
    format!(
        "{}integrity=\"{sri}\"{}",
        &tag[..at],
        &tag[value_start + value_len..]
    )
}

/// A Subresource Integrity value: `sha384-` and the base64 of the SHA-384 digest.
pub fn sri_sha384(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// FNV-1a, 64 bits: a stable content hash for file names.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> PortalConfig {
        PortalConfig::from_json(&format!(
            r#"{{"proxy": "/{{region}}", {extra}
                "regions": [{{"id": "dk-co", "name": "Denmark", "accounts": "https://dk-co.keepit.com",
                              "enterprise": "https://ent.example/apis/accounts/v1"}},
                            {{"id": "us-dc", "name": "US", "accounts": "https://us-dc.keepit.com"}}]}}"#
        ))
        .unwrap()
    }

    fn site() -> Site {
        Site {
            listen: "8443".into(),
            root: "/srv/portal".into(),
            server_name: "_".into(),
            brotli: true,
            tls: Tls::Here {
                certificate: "/etc/ssl/portal.pem".into(),
                key: "/etc/ssl/portal.key".into(),
                redirect_from: "8080".into(),
            },
            upstream_ca: DEBIAN_CA_BUNDLE.into(),
        }
    }

    /// The `location` blocks of the site's main (last) server: matcher and body.
    fn locations(conf: &str) -> Vec<(&str, &str)> {
        let main = conf.rsplit_once("\nserver {\n").unwrap().1;
        main.split("    location ")
            .skip(1)
            .map(|block| {
                let (matcher, body) = block.split_once(" {\n").unwrap();
                (matcher, &body[..body.find("\n    }\n").unwrap()])
            })
            .collect()
    }

    #[test]
    fn csp_follows_the_configuration() {
        let same_origin = content_security_policy(&config(""));
        assert!(same_origin.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(same_origin.contains("connect-src 'self';"));
        assert!(same_origin.contains("frame-ancestors 'none';"));
        let direct = PortalConfig::from_json(
            r#"{"embed": {"allowed_origins": ["https://eu.myconnectwise.net", "https://acme.halopsa.com"]},
                "brand": {"logo": "https://cdn.acme.example/logo.svg"},
                "regions": [{"id": "dk-co", "name": "Denmark", "accounts": "https://dk-co.keepit.com",
                             "enterprise": "https://ent.example/apis/accounts/v1"}]}"#,
        )
        .unwrap();
        let csp = content_security_policy(&direct);
        assert!(
            csp.contains("connect-src 'self' https://dk-co.keepit.com https://ent.example;"),
            "{csp}"
        );
        assert!(
            csp.contains("frame-ancestors https://eu.myconnectwise.net https://acme.halopsa.com;")
        );
        assert!(csp.contains("img-src 'self' data: https://cdn.acme.example;"));
        // Scripts: the site's own and WebAssembly compilation, nothing inline, no eval.
        let script_src: Vec<&str> = csp
            .split("; ")
            .filter(|d| d.starts_with("script-src"))
            .collect();
        assert_eq!(script_src, ["script-src 'self' 'wasm-unsafe-eval'"]);
        assert!(!csp.contains("'unsafe-eval'") && !csp.contains("script-src-attr"));
    }

    #[test]
    fn the_site_proxies_each_region_and_caches_by_kind() {
        let conf = nginx_site(&config(""), &site()).unwrap();
        assert!(
            conf.contains("location ^~ /dk-co/ {\n        proxy_pass https://dk-co.keepit.com/;")
        );
        assert!(conf.contains(
            "location ^~ /dk-co/apis/accounts/v1/ {\n        proxy_pass https://ent.example/apis/accounts/v1/;"
        ));
        assert!(conf.contains("location ^~ /us-dc/ {"));
        assert!(!conf.contains("location ^~ /us-dc/apis"));
        assert_eq!(
            conf.matches("proxy_hide_header WWW-Authenticate;").count(),
            3
        );
        assert!(conf.contains("try_files $uri /index.html;"));
        assert!(conf.contains("immutable"));
        assert!(conf.contains("X-Frame-Options \"DENY\""));
        // Every location that adds headers repeats the CSP (nginx does not inherit them).
        assert_eq!(
            conf.matches("add_header Content-Security-Policy").count(),
            7
        );
        assert_eq!(conf.matches('{').count(), conf.matches('}').count());
    }

    #[test]
    fn what_cannot_go_into_nginx_is_refused() {
        let mut bad = site();
        bad.root = "/srv; evil".into();
        assert!(nginx_site(&config(""), &bad).is_err());
        let shadowing = PortalConfig::from_json(
            r#"{"proxy": "/{region}", "regions": [{"id": "accounts", "name": "Oops", "accounts": "https://a.example"}]}"#,
        )
        .unwrap();
        assert!(nginx_site(&shadowing, &site())
            .unwrap_err()
            .contains("/accounts"));
        let direct = PortalConfig::from_json(
            r#"{"regions": [{"id": "dk-co", "name": "Denmark", "accounts": "https://dk-co.keepit.com"}]}"#,
        )
        .unwrap();
        assert!(nginx_site(&direct, &site())
            .unwrap()
            .contains("this site proxies nothing"));
    }

    #[test]
    fn the_loader_moves_out_of_the_page() {
        let page = r#"<head><link rel=stylesheet href=/a.css><script type=module>import init from"/p-1.js";await init();</script><link rel=modulepreload href=/p-1.js></head><body><script src="/x.js"></script></body>"#;
        let (html, name, js) = externalize_loader(page).unwrap();
        assert!(name.starts_with("boot-") && name.ends_with(".js") && name.len() == 24);
        assert_eq!(js, "import init from\"/p-1.js\";await init();\n");
        assert_eq!(
            html,
            format!(
                r#"<head><link rel=stylesheet href=/a.css><script type="module" src="/{name}"></script><link rel=modulepreload href=/p-1.js></head><body><script src="/x.js"></script></body>"#
            )
        );
        assert_eq!(externalize_loader(&html), None);
    }

    /// The example in `deploy/` is what the renderer makes of `deploy/config.example.json`.
    #[test]
    fn the_shipped_example_is_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy");
        let config = PortalConfig::from_json(
            &std::fs::read_to_string(dir.join("config.example.json")).unwrap(),
        )
        .unwrap();
        let rendered = nginx_site(&config, &example_site()).unwrap();
        let shipped = std::fs::read_to_string(dir.join("partner-portal.conf")).unwrap();
        assert!(
            rendered == shipped,
            "deploy/partner-portal.conf is stale: run `cargo run -p partner-deploy -- nginx --config deploy/config.example.json --root /srv/partner-portal --server-name portal.example.com --tls-cert /etc/ssl/partner-portal/fullchain.pem --tls-key /etc/ssl/partner-portal/privkey.pem > deploy/partner-portal.conf`"
        );
    }

    #[test]
    fn a_renamed_file_gets_its_new_name_and_integrity_everywhere() {
        let page =
            "<link crossorigin href=/partner-portal-1111_bg.wasm integrity=sha384-old rel=preload>\
                    <link href=\"/main-2222.css\" integrity=\"sha384-css\" rel=stylesheet>\
                    <script>init({module_or_path:'/partner-portal-1111_bg.wasm'})</script>";
        let out = rename_in_page(
            page,
            "partner-portal-1111_bg.wasm",
            "partner-portal-9999_bg.wasm",
            "sha384-new",
        );
        assert!(!out.contains("1111"), "{out}");
        assert_eq!(
            out.matches("partner-portal-9999_bg.wasm").count(),
            2,
            "{out}"
        );
        assert!(
            out.contains("integrity=\"sha384-new\" rel=preload"),
            "{out}"
        );
        assert!(
            out.contains("integrity=\"sha384-css\""),
            "the other tags keep theirs: {out}"
        );
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            sri_sha384(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }

    #[test]
    fn hashed_assets_are_the_files_nginx_caches_for_a_year() {
        for name in [
            "partner-portal-40b9f888ce0b060d_bg.wasm",
            "partner-portal-de7326229e0937d6.js",
            "main-98dd9d745330dc88.css",
            "boot-f07b65f9ab0a510c.js",
            "partner-portal-5009e203739e73e_bg.wasm",
            "main-9e203739e73e.css",
        ] {
            assert!(is_hashed_asset(name), "{name}");
        }
        for name in [
            "index.html",
            "config.json",
            "logo.svg",
            "main.css",
            "main-98DD9D745330DC88.css",
            "main-9e203739e73.css",
            "main-98dd9d745330dc88a.css",
            "main98dd9d745330dc88e.css",
            "partner-portal-40b9f888ce0b060d_bg.wasm.br",
            "-0123456789abcdef.js.gz",
        ] {
            assert!(!is_hashed_asset(name), "{name}");
        }
        assert!(nginx_site(&config(""), &site())
            .unwrap()
            .contains(&format!("location ~ {HASHED_ASSET} {{")));
    }

    #[test]
    fn precompress_writes_brotli_and_gzip_that_give_back_the_file() {
        let dir = std::env::temp_dir().join(format!("pp-deploy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let wasm: Vec<u8> = (0..40_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let files = [
            ("app-0123456789abcdef_bg.wasm", wasm.clone()),
            (
                "main-0123456789abcdef.css",
                b"body { color: red }\n".repeat(100),
            ),
            ("boot-0123456789abcdef.js", b"import init;".to_vec()),
            ("config.json", b"{}".repeat(600)),
            ("index.html", b"<p>".repeat(600)),
        ];
        for (name, body) in &files {
            std::fs::write(dir.join(name), body).unwrap();
        }
        let done = precompress(&dir).unwrap();
        let names: Vec<&str> = done.iter().map(|c| c.name.as_str()).collect();
        // The small loader, config.json and index.html are left alone.
        assert_eq!(
            names,
            ["app-0123456789abcdef_bg.wasm", "main-0123456789abcdef.css"]
        );
        for (name, body) in &files[..2] {
            let br = std::fs::read(dir.join(format!("{name}.br"))).unwrap();
            let mut back = Vec::new();
            brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
            assert_eq!(&back, body, "{name}.br");
            let gz = std::fs::read(dir.join(format!("{name}.gz"))).unwrap();
            let mut back = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
                .unwrap();
            assert_eq!(&back, body, "{name}.gz");
            assert!(br.len() < body.len() && gz.len() < body.len());
        }
        for name in ["boot-0123456789abcdef.js", "config.json", "index.html"] {
            assert!(!dir.join(format!("{name}.br")).exists(), "{name}.br");
            assert!(!dir.join(format!("{name}.gz")).exists(), "{name}.gz");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn brotli_static_only_where_the_module_is() {
        let with = nginx_site(&config(""), &site()).unwrap();
        assert!(with.contains("    brotli_static on;\n"));
        assert!(with.contains("    gzip_static on;\n"));
        let without = nginx_site(
            &config(""),
            &Site {
                brotli: false,
                ..site()
            },
        )
        .unwrap();
        assert!(!without.contains("brotli"));
        assert!(without.contains("    gzip_static on;\n"));
    }

    /// Every location, the portal's and the proxy's, carries every security header: nginx
    /// inherits no `add_header` into a location that has its own.
    #[test]
    fn every_location_sends_every_security_header() {
        let conf = nginx_site(&config(""), &site()).unwrap();
        let blocks = locations(&conf);
        assert_eq!(blocks.len(), 7, "{conf}");
        for (matcher, body) in blocks {
            let proxied = matcher.starts_with("^~");
            let csp = if proxied {
                PROXIED_CSP.to_owned()
            } else {
                content_security_policy(&config(""))
            };
            for line in [
                format!("add_header Content-Security-Policy \"{csp}\" always;"),
                "add_header X-Content-Type-Options \"nosniff\" always;".into(),
                "add_header Referrer-Policy \"strict-origin-when-cross-origin\" always;".into(),
                "add_header Strict-Transport-Security \"max-age=31536000\" always;".into(),
                "add_header Permissions-Policy \"camera=(), microphone=(), geolocation=(), payment=()\" always;".into(),
                "add_header X-Frame-Options \"DENY\" always;".into(),
            ] {
                assert!(body.contains(&line), "{matcher}: no {line}\n{body}");
            }
            for name in SECURITY_HEADERS {
                // A region's own are dropped, so the site's are the ones the browser reads.
                assert_eq!(
                    body.contains(&format!("proxy_hide_header {name};")),
                    proxied,
                    "{matcher}: {name}"
                );
            }
        }
        // An embeddable portal has no X-Frame-Options, but a proxied answer still has.
        let embeddable = nginx_site(
            &config(r#""embed": {"allowed_origins": ["https://psa.example"]},"#),
            &site(),
        )
        .unwrap();
        for (matcher, body) in locations(&embeddable) {
            assert_eq!(
                body.contains("X-Frame-Options \"DENY\""),
                matcher.starts_with("^~"),
                "{matcher}"
            );
        }
    }

    /// nginx does not verify an upstream's certificate unless told: every proxy location is.
    #[test]
    fn the_proxy_verifies_each_regions_certificate() {
        let mut own_ca = site();
        own_ca.upstream_ca = "/etc/partner-portal/regions-ca.pem".into();
        for (site, ca) in [
            (site(), DEBIAN_CA_BUNDLE),
            (own_ca, "/etc/partner-portal/regions-ca.pem"),
        ] {
            let conf = nginx_site(&config(""), &site).unwrap();
            let proxies: Vec<_> = locations(&conf)
                .into_iter()
                .filter(|(m, _)| m.starts_with("^~"))
                .collect();
            assert_eq!(proxies.len(), 3);
            for (matcher, body) in proxies {
                for line in [
                    "proxy_ssl_verify on;".to_owned(),
                    "proxy_ssl_verify_depth 3;".into(),
                    format!("proxy_ssl_trusted_certificate {ca};"),
                    "proxy_ssl_server_name on;".into(),
                ] {
                    assert!(body.contains(&line), "{matcher}: no {line}");
                }
            }
        }
        let mut bad = site();
        bad.upstream_ca = "/x; proxy_ssl_verify off".into();
        assert!(nginx_site(&config(""), &bad).is_err());
    }

    #[test]
    fn tls_is_served_here_and_plain_http_only_redirects() {
        let conf = nginx_site(&config(""), &site()).unwrap();
        let (redirect, main) = conf
            .split_once("server {\n    listen 8443 ssl;\n    server_name _;\n")
            .unwrap();
        assert!(main.contains("    ssl_certificate /etc/ssl/portal.pem;\n"));
        assert!(main.contains("    ssl_certificate_key /etc/ssl/portal.key;\n"));
        assert!(main.contains("    ssl_protocols TLSv1.2 TLSv1.3;\n"));
        // Any name: the redirect keeps the one asked for, and the HTTPS port.
        assert!(
            redirect.contains(
                "    listen 8080;\n    server_name _;\n    server_tokens off;\n    location / {\n        return 301 https://$host:8443$request_uri;\n    }\n"
            ),
            "{redirect}"
        );
        assert!(!redirect.contains("    root ") && !redirect.contains("proxy_pass"));
        // One name on 443: the redirect names it, and no port.
        let conf = nginx_site(&config(""), &example_site()).unwrap();
        assert!(conf.contains("return 301 https://portal.example.com$request_uri;"));
        let mut flagged = site();
        flagged.listen = "443 ssl".into();
        assert!(nginx_site(&config(""), &flagged).is_err());
    }

    /// Behind a TLS terminator, nginx listens in plain HTTP and redirects nothing (the
    /// terminator does), but still sends HSTS, which the browser gets over HTTPS.
    #[test]
    fn behind_a_tls_terminator_the_site_is_plain_http_with_hsts() {
        let conf = nginx_site(
            &config(""),
            &Site {
                listen: "127.0.0.1:8080".into(),
                tls: Tls::InFront,
                ..site()
            },
        )
        .unwrap();
        assert_eq!(conf.matches("server {").count(), 1);
        assert!(conf.contains("    listen 127.0.0.1:8080;\n"));
        assert!(!conf.contains("ssl_certificate") && !conf.contains("return 301"));
        assert_eq!(conf.matches("Strict-Transport-Security \"").count(), 7);
        assert!(conf.contains("proxy_ssl_verify on;"));
    }

    fn example_site() -> Site {
        Site {
            listen: "443".into(),
            root: "/srv/partner-portal".into(),
            server_name: "portal.example.com".into(),
            brotli: true,
            tls: Tls::Here {
                certificate: "/etc/ssl/partner-portal/fullchain.pem".into(),
                key: "/etc/ssl/partner-portal/privkey.pem".into(),
                redirect_from: "80".into(),
            },
            upstream_ca: DEBIAN_CA_BUNDLE.into(),
        }
    }
}
