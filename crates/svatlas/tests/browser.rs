//! The explorer in a real browser: Debian's `chromium` driven through `chromedriver` by
//! fantoccini, against a real `svatlas serve` with the shipped data.
//!
//! Without chromium/chromedriver the tests print why they skip; with
//! `SVATLAS_REQUIRE_SERVICES=1` (CI) a missing browser fails the run.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use common::spawn_serve;

/// A browser session and the processes behind it; both are killed when dropped.
struct Browser {
    client: Client,
    driver: Child,
    server: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.server.kill();
        let _ = self.driver.wait();
        let _ = self.server.wait();
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Starts the server, chromedriver and a headless Chromium, or says why it cannot.
async fn start() -> Option<Browser> {
    let (Some(chromium), Some(chromedriver)) =
        (find_program("chromium"), find_program("chromedriver"))
    else {
        let reason = "chromium and chromedriver are not installed \
                      (apt-get install chromium chromium-driver)";
        assert!(
            std::env::var("SVATLAS_REQUIRE_SERVICES").as_deref() != Ok("1"),
            "browser tests are required in CI: {reason}"
        );
        eprintln!("skipping browser test: {reason}");
        return None;
    };

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("browser.db");
    let (server, stderr, port) =
        spawn_serve(dir.path(), &format!("sqlite://{}", db.display()), &[]);
    // Keep reading the server's log so it never blocks on a full pipe.
    std::thread::spawn(move || {
        use std::io::BufRead;
        for _ in stderr.lines() {}
    });

    let driver_port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Command::new(chromedriver)
        .arg(format!("--port={driver_port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--window-size=1280,1600"]
        }
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    let webdriver = format!("http://127.0.0.1:{driver_port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&webdriver)
            .await
        {
            Ok(client) => break client,
            Err(e) if Instant::now() > deadline => panic!("chromedriver did not start: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    };
    Some(Browser {
        client,
        driver,
        server,
        base: format!("http://127.0.0.1:{port}"),
        _dir: dir,
    })
}

impl Browser {
    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    async fn text(&self, css: &str) -> String {
        let path = self.path().await;
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on {path}: {e}"))
            .text()
            .await
            .unwrap()
    }

    /// Waits (up to 10 s) until the page's path and query satisfy `done`; returns them.
    async fn wait_for_path(&self, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let path = self.path().await;
            if done(&path) {
                return path;
            }
            assert!(Instant::now() < deadline, "still on {path}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Saves a screenshot under `target/browser-screenshots/` for people to look at.
    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

#[tokio::test]
async fn search_area_map_click_compare_download() {
    let Some(b) = start().await else { return };

    // Search from the header box, as a visitor would.
    b.goto("/").await;
    b.screenshot("home").await;
    let q = b.client.find(Locator::Id("header-q")).await.unwrap();
    q.send_keys("Plymouth").await.unwrap();
    q.send_keys(&Key::Enter.to_string()).await.unwrap();
    let after_search = b.wait_for_path(|p| p != "/").await;
    if !after_search.starts_with("/areas/E06000026") {
        b.screenshot("search").await;
        b.client
            .find(Locator::Css("main a[href^='/areas/E06000026']"))
            .await
            .expect("search results link to Plymouth")
            .click()
            .await
            .unwrap();
    }
    assert!(
        b.path().await.starts_with("/areas/E06000026"),
        "{}",
        b.path().await
    );
    assert_eq!(b.text("h1").await.trim(), "Plymouth");
    b.screenshot("area-plymouth").await;

    // The map draws Plymouth's 164 LSOAs 2021, each a link.
    let areas = b
        .client
        .find_all(Locator::Css("svg a path[data-area]"))
        .await
        .unwrap();
    assert_eq!(areas.len(), 164, "LSOA 2021 paths on Plymouth's map");
    let codes: Vec<String> = b
        .js("return Array.from(document.querySelectorAll('svg a path[data-area]')).map(p => p.dataset.area)")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    // Click the area under the centre of the map, whichever it is.
    let clicked = b
        .js(
            "const svg = document.querySelector('svg a path[data-area]').ownerSVGElement;
             svg.scrollIntoView({block: 'center'});
             const r2 = svg.getBoundingClientRect();
             const el = document.elementFromPoint(r2.left + r2.width / 2, r2.top + r2.height / 2);
             return el && el.dataset ? el.dataset.area || null : null;",
        )
        .await;
    let clicked = clicked
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| codes[0].clone());
    b.client
        .find(Locator::Css(&format!("svg a path[data-area='{clicked}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let lsoa_path = b.wait_for_path(|p| p.starts_with("/areas/E01")).await;
    assert!(
        codes
            .iter()
            .any(|c| lsoa_path.starts_with(&format!("/areas/{c}"))),
        "{lsoa_path} is one of Plymouth's LSOAs"
    );
    b.screenshot("area-lsoa").await;

    // Compare Plymouth with Blackpool through the compare form.
    b.goto("/compare").await;
    let input = b
        .client
        .find(Locator::Css("input[name='areas']"))
        .await
        .unwrap();
    input.clear().await.unwrap();
    input.send_keys("E06000026,E06000009").await.unwrap();
    input.send_keys(&Key::Enter.to_string()).await.unwrap();
    b.wait_for_path(|p| p.contains("E06000009")).await;
    let main = b.text("main").await;
    assert!(
        main.contains("Plymouth") && main.contains("Blackpool"),
        "{main}"
    );
    b.screenshot("compare").await;

    // Download the comparison as CSV from the page's own link.
    let csv_link = b
        .client
        .find(Locator::LinkText("CSV"))
        .await
        .expect("a CSV download link");
    let href = csv_link.attr("href").await.unwrap().unwrap();
    let answer = b
        .client
        .execute_async(
            "const [href, done] = arguments;
             fetch(href).then(async r => done({status: r.status,
                 disposition: r.headers.get('content-disposition'), body: await r.text()}));",
            vec![json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(answer["status"], 200);
    assert!(
        answer["disposition"]
            .as_str()
            .unwrap()
            .starts_with("attachment")
    );
    let body = answer["body"].as_str().unwrap();
    assert!(
        body.starts_with("# "),
        "CSV opens with its title and sources"
    );
    assert!(body.contains("Licence"), "CSV names its licence");
    assert!(body.contains("E06000026") && body.contains("E06000009"));
}

/// Accessibility checks run in the page: every form control has a label, headings do not skip
/// levels and there is one h1, text meets WCAG AA contrast, maps and charts have a text title,
/// and the keyboard focus is visible.
const A11Y_SCRIPT: &str = r#"
const problems = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden' || el.type === 'submit') continue;
  const labelled = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
  if (!labelled) problems.push('unlabelled control ' + (el.name || el.id));
}
const levels = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => Number(h.tagName[1]));
if (levels.filter(l => l === 1).length !== 1) problems.push('h1 count ' + levels.filter(l => l === 1).length);
if (levels[0] !== 1) problems.push('first heading is h' + levels[0]);
for (let i = 1; i < levels.length; i++) {
  if (levels[i] > levels[i - 1] + 1) problems.push('heading jumps h' + levels[i - 1] + ' -> h' + levels[i]);
}
const rgb = s => { const m = s.match(/rgba?\(([^)]+)\)/); if (!m) return null;
  const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
const lum = c => { const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
const background = el => { for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; }
  return {r: 255, g: 255, b: 255, a: 1}; };
let checked = 0;
for (const el of document.querySelectorAll('body *')) {
  if (el.closest('svg')) continue;
  const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || el.offsetParent === null) continue;
  const style = getComputedStyle(el);
  const fg = rgb(style.color), bg = background(el);
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  const ratio = (hi + 0.05) / (lo + 0.05);
  const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  checked++;
  if (ratio < (large ? 3 : 4.5)) problems.push('contrast ' + ratio.toFixed(2) + ' on "' + el.textContent.trim().slice(0, 40) + '"');
}
for (const svg of document.querySelectorAll('svg.map, svg.chart')) {
  const title = svg.querySelector(':scope > title');
  if (!title || !title.textContent.trim()) problems.push('svg without a title');
}
return {problems, checked};
"#;

/// True when the focused element is drawn differently from its unfocused self.
const FOCUS_SCRIPT: &str = r#"
const el = document.activeElement;
if (!el || el === document.body) return {tag: null, visible: false};
const focused = getComputedStyle(el);
const look = s => [s.outlineStyle, s.outlineWidth, s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine].join('|');
const before = look(focused);
el.blur();
const after = look(getComputedStyle(el));
el.focus();
return {tag: el.tagName, text: (el.textContent || '').trim().slice(0, 40), visible: before !== after};
"#;

#[tokio::test]
async fn main_pages_pass_accessibility_checks() {
    let Some(b) = start().await else { return };
    for path in [
        "/",
        "/search?q=ply",
        "/areas/E06000026",
        "/areas/E06000026?edition=iod2019",
        "/maps",
        "/rankings",
        "/compare?areas=E06000026,E06000009,E08000003",
        "/correlations",
        "/data",
    ] {
        b.goto(path).await;
        let name = path
            .trim_start_matches('/')
            .replace(['/', '?', '=', ',', '&'], "-");
        b.screenshot(&format!(
            "a11y-{}",
            if name.is_empty() { "home" } else { &name }
        ))
        .await;
        let report = b.js(A11Y_SCRIPT).await;
        let problems = report["problems"].as_array().unwrap();
        assert!(problems.is_empty(), "{path}: {problems:#?}");
        assert!(
            report["checked"].as_u64().unwrap() > 10,
            "{path}: text was checked"
        );

        // Keyboard: the first Tab lands on the skip link, and focus is visible on the first
        // few stops.
        b.client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .send_keys(&Key::Tab.to_string())
            .await
            .unwrap();
        let first = b.js(FOCUS_SCRIPT).await;
        assert_eq!(first["text"], "Skip to main content", "{path}: {first}");
        for _ in 0..4 {
            let focus = b.js(FOCUS_SCRIPT).await;
            assert_eq!(
                focus["visible"], true,
                "{path}: focus not visible on {focus}"
            );
            b.client
                .active_element()
                .await
                .unwrap()
                .send_keys(&Key::Tab.to_string())
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn sign_in_see_the_organisation_and_sign_out() {
    let Some(b) = start().await else { return };
    // An account made the way the first admin's is, in the database the server uses.
    let db = b._dir.path().join("browser.db");
    let mut add = common::svatlas()
        .args(["--database-url", &format!("sqlite://{}", db.display())])
        .args([
            "user",
            "add",
            "--email",
            "ada@example.org",
            "--name",
            "Ada Lovelace",
        ])
        .args(["--org", "Plymouth Trust", "--role", "admin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = add.stdin.take().unwrap();
        writeln!(stdin, "correct horse battery staple").unwrap();
    }
    assert!(add.wait().unwrap().success());

    // Signed out, the account page sends you to sign in and back.
    b.goto("/account").await;
    assert_eq!(b.path().await, "/login?next=%2Faccount");
    let report = b.js(A11Y_SCRIPT).await;
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "/login: {report:#?}"
    );
    b.screenshot("login").await;

    // A wrong password: the error summary links to the field.
    let fill = |id: &'static str, text: &'static str| {
        let client = b.client.clone();
        async move {
            let field = client.find(Locator::Id(id)).await.unwrap();
            field.clear().await.unwrap();
            field.send_keys(text).await.unwrap();
        }
    };
    fill("email", "ada@example.org").await;
    fill("password", "not the password").await;
    b.client
        .find(Locator::Css("main button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let summary = b.text(".govuk-error-summary a[href='#email']").await;
    assert_eq!(summary, "The email address or password is wrong");

    // The right one: a real browser's same-origin form passes the CSRF check.
    fill("password", "correct horse battery staple").await;
    b.client
        .find(Locator::Css("main button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for_path(|p| p == "/account").await;
    assert_eq!(b.text("h1").await, "Your account");
    assert!(b.text("main").await.contains("Ada Lovelace"));
    let report = b.js(A11Y_SCRIPT).await;
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "/account: {report:#?}"
    );
    b.screenshot("account").await;

    b.client
        .find(Locator::LinkText("Plymouth Trust"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for_path(|p| p.starts_with("/organisations/")).await;
    assert_eq!(b.text("h1").await, "Plymouth Trust");
    assert!(b.text("main table").await.contains("Ada Lovelace (you)"));
    let report = b.js(A11Y_SCRIPT).await;
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "organisation: {report:#?}"
    );
    b.screenshot("organisation").await;

    // Sign out: the session is gone.
    b.goto("/account").await;
    b.client
        .find(Locator::XPath("//button[normalize-space()='Sign out']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for_path(|p| p == "/").await;
    b.goto("/account").await;
    assert_eq!(b.path().await, "/login?next=%2Faccount");
}
