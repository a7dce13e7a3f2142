//! Bulk import and export in real Chromium against the sandbox, with faults injected.

use partner_api::AccountId;
use partner_e2e::seed::{PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};
use partner_sandbox::faults::{FaultKind, FaultRule};
use std::collections::HashSet;

async fn partner(h: &Harness) -> AccountId {
    h.state.read().await.regions[REGION].logins[PARTNER].clone()
}

/// Logins of `parent`'s children in the sandbox that end with `suffix`.
async fn created(h: &Harness, parent: &AccountId, suffix: &str) -> Vec<String> {
    let w = h.state.read().await;
    let r = &w.regions[REGION];
    r.accounts[parent]
        .children
        .iter()
        .flat_map(|c| r.accounts[c].tokens.iter().map(|t| t.token.name.clone()))
        .filter(|n| n.ends_with(suffix))
        .collect()
}

async fn paste(h: &Harness, csv: &str) {
    h.find("#csv-text").await;
    h.client
        .execute(
            "const t = document.getElementById('csv-text'); t.value = arguments[0]; t.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(csv)],
        )
        .await
        .unwrap();
}

async fn open_import(h: &Harness, p: &AccountId) {
    h.open(&format!(
        "/sign-in?region={REGION}&next=/accounts/import%3Fregion={REGION}%26parent={p}"
    ))
    .await;
    h.sign_in(REGION, PARTNER, PASSWORD).await;
    h.wait_text("h1", "Import customer accounts").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_rows_three_bad_and_faults_end_with_47_accounts_and_no_duplicates() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let p = partner(&h).await;
    let mut csv = String::from("login,external_id,company,country\n");
    for i in 1..=50 {
        let login = match i {
            10 => "not-an-email".to_owned(),
            30 => "imp1@bulk.example".to_owned(),
            _ => format!("imp{i}@bulk.example"),
        };
        let country = if i == 20 { "Denmark" } else { "DK" };
        let ext = if i % 2 == 0 {
            format!("crm-{i}")
        } else {
            String::new()
        };
        csv.push_str(&format!(
            "{login},{ext},\"Bulk Customer {i}, Ltd\",{country}\n"
        ));
    }
    open_import(&h, &p).await;
    paste(&h, &csv).await;
    h.click_button("Check rows").await;
    h.wait_text(".import-summary", "47 rows ready, 3 with problems")
        .await;
    h.assert_accessible("the import preview").await;

    // The first create gets a 503 before the region does anything; the second one is
    // carried out and its answer is lost; the third one's answer is a gateway's 504 after
    // the work. Only the first may be sent again.
    for (fault, status) in [
        (FaultKind::Status, Some(503)),
        (FaultKind::Lost, None),
        (FaultKind::Lost, Some(504)),
    ] {
        h.app.faults.add(FaultRule {
            method: Some("POST".into()),
            path_prefix: format!("/{REGION}/users/"),
            count: 1,
            fault,
            status,
            retry_after: None,
            body: None,
        });
    }
    h.click_button("Create 47 accounts").await;
    h.wait_text(".import-counts", "47 created, 0 failed, 3 not sent")
        .await;
    let fired: Vec<u32> = h.app.faults.history().iter().map(|r| r.fired).collect();
    assert_eq!(fired, [1, 1, 1], "every fault met a create");
    let made = created(&h, &p, "@bulk.example").await;
    assert_eq!(made.len(), 47, "{made:?}");
    assert_eq!(made.iter().collect::<HashSet<_>>().len(), 47, "duplicates");
    let reported = h.find(".reported").await.text().await.unwrap();
    for line in ["Line 11", "Line 21", "Line 31"] {
        assert!(reported.contains(line), "{reported}");
    }
    // The results file, as the portal builds it.
    h.js("window.__downloads = []; const o = URL.createObjectURL; URL.createObjectURL = b => { b.text().then(t => window.__downloads.push(t)); return o(b); };").await;
    h.click_button("Download results (CSV)").await;
    let results = loop {
        let v = h.js("return window.__downloads[0] || null").await;
        if let Some(t) = v.as_str() {
            break t.to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(results.matches(",created,").count(), 47);
    assert_eq!(results.matches(",not sent,").count(), 3);
    assert!(results.contains(",crm-2,created,"));
    h.assert_accessible("the import results").await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_interrupted_by_a_reload_resumes_without_duplicates() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let p = partner(&h).await;
    let mut csv = String::from("login,company\n");
    for i in 1..=10 {
        csv.push_str(&format!("res{i}@resume.example,Resume Customer {i}\n"));
    }
    open_import(&h, &p).await;
    paste(&h, &csv).await;
    h.click_button("Check rows").await;
    h.wait_text(".import-summary", "10 rows ready").await;
    // One create hangs; the others finish; the page is reloaded while it hangs.
    h.app.faults.add(FaultRule {
        method: Some("POST".into()),
        path_prefix: format!("/{REGION}/users/"),
        count: 1,
        fault: FaultKind::Stall,
        status: None,
        retry_after: None,
        body: None,
    });
    h.click_button("Create 10 accounts").await;
    h.wait_text(".import-counts", "9 created").await;
    h.client.refresh().await.unwrap();
    h.wait_text(".draft-note", "did not finish").await;
    h.wait_text(".import-counts", "1 to go").await;
    h.click_button("Resume import").await;
    h.wait_text(".import-counts", "10 created, 0 failed").await;
    let made = created(&h, &p, "@resume.example").await;
    assert_eq!(made.len(), 10, "{made:?}");
    assert_eq!(made.iter().collect::<HashSet<_>>().len(), 10);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_matches_the_sandbox_and_the_tree() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let p = partner(&h).await;
    h.open(&format!(
        "/sign-in?region={REGION}&next=/accounts/{REGION}/{p}"
    ))
    .await;
    h.sign_in(REGION, PARTNER, PASSWORD).await;
    h.wait_text("h1", &h.company(REGION, &p).await).await;
    h.js("window.__downloads = []; const o = URL.createObjectURL; URL.createObjectURL = b => { b.text().then(t => window.__downloads.push(t)); return o(b); };").await;
    h.find(".export button").await.click().await.unwrap();
    h.wait_text(".export [role=status]", "Exported").await;
    let text = h
        .js("return window.__downloads[0]")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    let rows = partner_api::csv::parse(&text).unwrap();
    assert_eq!(rows[0], partner_api::csv::EXPORT_COLUMNS);
    let (expected, direct) = {
        let w = h.state.read().await;
        let r = &w.regions[REGION];
        let ids: HashSet<String> = r
            .accounts
            .keys()
            .filter(|id| r.is_within(&p, id))
            .map(|id| id.to_string())
            .collect();
        (ids, r.accounts[&p].children.len())
    };
    let exported: HashSet<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(exported, expected);
    // Kind and status as the sandbox has them.
    let disabled = rows.iter().filter(|r| r[6] == "disabled").count();
    assert_eq!(disabled, 1);
    assert!(rows[1..].iter().all(|r| r[7] == REGION));
    // The tree shows the same level: as many rows under the partner as the export has children.
    let size = h
        .find("[role=treeitem][aria-level='3']")
        .await
        .attr("aria-setsize")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(size, direct.to_string());
    let in_export_direct = rows[1..].iter().filter(|r| r[8] == p.as_str()).count();
    assert_eq!(in_export_direct, direct);
    h.finish().await;
}
