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
    /// Where Chromium saves downloads (no prompt); only the PDF is downloaded this way.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    downloads: PathBuf,
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

/// The program, or `None` after saying why the check is skipped; with
/// `SVATLAS_REQUIRE_SERVICES=1` (CI) a missing program fails the run instead.
fn required_program(name: &str, install: &str) -> Option<PathBuf> {
    let found = find_program(name);
    if found.is_none() {
        let reason = format!("{name} is not installed ({install})");
        assert!(
            std::env::var("SVATLAS_REQUIRE_SERVICES").as_deref() != Ok("1"),
            "browser tests are required in CI: {reason}"
        );
        eprintln!("skipping browser test: {reason}");
    }
    found
}

/// Starts the server (with `serve_args`), chromedriver and a headless Chromium, or says why
/// it cannot.
async fn start(serve_args: &[&str]) -> Option<Browser> {
    let install = "apt-get install chromium chromium-driver";
    let chromium = required_program("chromium", install)?;
    let chromedriver = required_program("chromedriver", install)?;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("browser.db");
    let (server, stderr, port) = spawn_serve(
        dir.path(),
        &format!("sqlite://{}", db.display()),
        serve_args,
    );
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
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--window-size=1280,1600"],
            "prefs": {
                "download.default_directory": downloads,
                "download.prompt_for_download": false,
                "download.directory_upgrade": true
            }
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
        downloads,
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
        std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
    }

    /// A screenshot of the whole page at 1280 px wide: the window is stretched to the page's
    /// height for the picture, then put back.
    async fn screenshot_full(&self, name: &str) {
        let height = self
            .js("window.scrollTo(0, 0); return document.documentElement.scrollHeight")
            .await
            .as_u64()
            .unwrap();
        let height = u32::try_from(height).unwrap().clamp(1600, 12_000);
        self.client.set_window_size(1280, height).await.unwrap();
        self.screenshot(name).await;
        self.client.set_window_size(1280, 1600).await.unwrap();
    }

    /// Types `text` into the field with this id, replacing what was there.
    async fn fill(&self, id: &str, text: &str) {
        let field = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no #{id}: {e}"));
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Opens a `<details>` by clicking its summary, as a person would, unless it is open.
    async fn open_details(&self, css: &str) {
        let details = self.client.find(Locator::Css(css)).await.unwrap();
        if details.attr("open").await.unwrap().is_none() {
            self.click(&format!("{css} > summary")).await;
        }
        assert!(details.attr("open").await.unwrap().is_some(), "{css} opens");
    }

    /// Waits (up to 10 s) until the element `css` contains `needle`; a form's error summary
    /// fails at once with its messages.
    async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(summary) = self.client.find(Locator::Css(".govuk-error-summary")).await {
                panic!(
                    "the form was refused on {}: {}",
                    self.path().await,
                    summary.text().await.unwrap()
                );
            }
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = el.text().await
                && text.contains(needle)
            {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in {css} on {}",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Adds an account with `svatlas user add`, the password on standard input, in the database
/// the server uses.
fn add_user(b: &Browser, email: &str, name: &str, org: &str, role: &str, password: &str) {
    let db = b._dir.path().join("browser.db");
    let mut add = common::svatlas()
        .args(["--database-url", &format!("sqlite://{}", db.display())])
        .args(["user", "add", "--email", email, "--name", name])
        .args(["--org", org, "--role", role])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = add.stdin.take().unwrap();
        writeln!(stdin, "{password}").unwrap();
    }
    assert!(add.wait().unwrap().success(), "svatlas user add {email}");
}

#[tokio::test]
async fn search_area_map_click_compare_download() {
    let Some(b) = start(&[]).await else { return };

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

/// Opens `path`, saves a screenshot, runs the in-page checks and walks the first few Tab stops:
/// the first lands on the skip link and focus is visible on each.
async fn assert_accessible(b: &Browser, path: &str, screenshot: &str) {
    b.goto(path).await;
    b.screenshot(screenshot).await;
    let report = b.js(A11Y_SCRIPT).await;
    let problems = report["problems"].as_array().unwrap();
    assert!(problems.is_empty(), "{path}: {problems:#?}");
    assert!(
        report["checked"].as_u64().unwrap() > 10,
        "{path}: text was checked"
    );

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

#[tokio::test]
async fn main_pages_pass_accessibility_checks() {
    let Some(b) = start(&[]).await else { return };
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
        let name = path
            .trim_start_matches('/')
            .replace(['/', '?', '=', ',', '&'], "-");
        let name = format!("a11y-{}", if name.is_empty() { "home" } else { &name });
        assert_accessible(&b, path, &name).await;
    }
}

#[tokio::test]
async fn sign_in_see_the_organisation_and_sign_out() {
    // Accounts need no area data: skipping its import starts the server in seconds.
    let Some(b) = start(&["--no-import"]).await else {
        return;
    };
    // An account made the way the first admin's is, in the database the server uses.
    add_user(
        &b,
        "ada@example.org",
        "Ada Lovelace",
        "Plymouth Trust",
        "admin",
        "correct horse battery staple",
    );

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
    b.fill("email", "ada@example.org").await;
    b.fill("password", "not the password").await;
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
    b.fill("password", "correct horse battery staple").await;
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

/// Layout faults a person would see: elements of `main` sticking out past its right edge, the
/// page's own horizontal scroll, chart labels cut off at the chart's edge, fields set side by
/// side whose boxes do not line up, and header or footer links smaller than 24 x 24 px.
const LAYOUT_SCRIPT: &str = r#"
const main = document.querySelector('main').getBoundingClientRect();
const faults = [];
const doc = document.documentElement;
if (doc.scrollWidth > doc.clientWidth) faults.push('page scrolls sideways: ' + doc.scrollWidth);
for (const el of document.querySelectorAll('main table, main figure, main svg, main dl, main form, main pre')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > main.right + 1) {
    faults.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + el.className.split(' ')[0] : '')
      + ' ends at ' + Math.round(r.right) + ' past main at ' + Math.round(main.right));
  }
}
for (const text of document.querySelectorAll('main svg.chart text')) {
  const box = text.getBBox(), view = text.ownerSVGElement.viewBox.baseVal;
  if (box.x < view.x - 1 || box.x + box.width > view.x + view.width + 1) {
    faults.push('chart text cut off: "' + text.textContent + '" spans ' + Math.round(box.x) + ' to '
      + Math.round(box.x + box.width) + ' of ' + Math.round(view.width) + ' at ' + getComputedStyle(text).fontSize);
  }
}
// Fields set side by side line their boxes up, whichever of them has a hint.
for (const row of document.querySelectorAll('main .inline-fields')) {
  const boxes = Array.from(row.querySelectorAll(':scope > .govuk-form-group input, :scope > .govuk-form-group select'))
    .filter(el => el.offsetParent !== null).map(el => [el.id, el.getBoundingClientRect()]);
  for (const [id, a] of boxes) for (const [other, b] of boxes) {
    if (a.top < b.bottom && b.top < a.bottom && Math.abs(a.bottom - b.bottom) > 1) {
      faults.push('#' + id + ' and #' + other + ' side by side but not lined up');
    }
  }
}
// WCAG 2.2 target size (minimum): header and footer links are at least 24 x 24 CSS px.
for (const a of document.querySelectorAll('header a, footer a')) {
  const r = a.getBoundingClientRect();
  if (r.width > 0 && (r.width < 24 || r.height < 24)) {
    faults.push('link "' + a.textContent.trim() + '" is ' + Math.round(r.width) + ' x ' + Math.round(r.height) + ' px');
  }
}
return faults;
"#;

async fn assert_layout(b: &Browser, what: &str) {
    let faults = b.js(LAYOUT_SCRIPT).await;
    assert_eq!(faults, json!([]), "{what} at 1280 px wide");
}

/// Waits (up to 30 s) for Chromium to finish a download ending in `.ext`.
#[cfg(feature = "pdf")]
async fn downloaded(dir: &Path, ext: &str) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext));
        if let Some(path) = done {
            return path;
        }
        assert!(
            Instant::now() < deadline,
            "no .{ext} download in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The calculator end to end: sign in through the form, start a project, enter METHOD.md
/// worked example 1 through the outcome and input forms, read the report and its charts,
/// download the PDF and read it back, and check the new pages' accessibility and layout.
#[tokio::test]
async fn calculator_journey() {
    const NAME: &str = "Into work in Devonport";
    const RATIO: &str = "£2.42 for every £1";
    // The calculator needs no area data: skipping its import starts the server in seconds.
    let Some(b) = start(&["--no-import"]).await else {
        return;
    };
    add_user(
        &b,
        "grace@example.org",
        "Grace Hopper",
        "Moorland Works",
        "editor",
        "a long enough passphrase",
    );

    // Signed out, the projects page sends you to sign in and back.
    b.goto("/projects").await;
    assert_eq!(b.path().await, "/login?next=%2Fprojects");
    b.fill("email", "grace@example.org").await;
    b.fill("password", "a long enough passphrase").await;
    b.click("main button[type=submit]").await;
    b.wait_for_path(|p| p == "/projects").await;
    assert_eq!(b.text("h1").await, "Your projects");

    // Start a project.
    b.fill("p-name", NAME).await;
    b.click("#p-mode").await;
    b.fill("p-price_base_year", "2025").await;
    b.click("form[action='/projects'] button[type=submit]")
        .await;
    let project = b.wait_for_path(|p| p.starts_with("/projects/")).await;
    assert_eq!(b.text("h1").await, NAME);
    assert!(b.text(".govuk-caption-l").await.contains("Moorland Works"));

    // Worked example 1's outcome, with its own value rather than a library proxy.
    b.open_details("#add-outcome").await;
    b.fill("o-description", "Participants into work").await;
    let select = |id: &'static str| b.client.find(Locator::Id(id));
    select("o-bristol_accord")
        .await
        .unwrap()
        .select_by_label("Thriving")
        .await
        .unwrap();
    select("o-proxy_id")
        .await
        .unwrap()
        .select_by_value("custom")
        .await
        .unwrap();
    b.open_details("#add-outcome details").await;
    b.fill("o-proxy_gbp", "6500").await;
    b.fill("o-proxy_unit", "per person").await;
    b.fill(
        "o-proxy_source",
        "HM Treasury Green Book: 0.5 WELLBY at £13,000 (central value)",
    )
    .await;
    b.fill("o-proxy_price_year", "2019").await;
    for (id, value) in [
        ("o-quantity", "20"),
        ("o-duration_years", "3"),
        ("o-start_year", "1"),
        ("o-leakage", "5"),
        ("o-deadweight", "25"),
        ("o-displacement", "10"),
        ("o-attribution", "20"),
        ("o-dropoff", "30"),
    ] {
        b.fill(id, value).await;
    }
    b.screenshot_full("calculator-outcome-form").await;
    assert_layout(&b, "outcome form").await;
    b.click("#add-outcome button[type=submit]").await;
    let outcomes = b
        .wait_for_text("#outcomes + table", "Participants into work")
        .await;
    assert!(outcomes.contains("Thriving"), "{outcomes}");

    // Its inputs, £56,884 in year 0, as one cash line.
    b.open_details("#add-input").await;
    b.fill("i-description", "Grant, donated venue and volunteer time")
        .await;
    select("i-category")
        .await
        .unwrap()
        .select_by_value("cash")
        .await
        .unwrap();
    b.fill("i-value", "56884").await;
    b.fill("i-volume", "1").await;
    b.fill("i-year", "0").await;
    b.click("#add-input button[type=submit]").await;
    let inputs = b
        .wait_for_text("#inputs + table", "Grant, donated venue")
        .await;
    assert!(inputs.contains("£56,884.00"), "{inputs}");
    assert_eq!(b.text("#project-ratio").await, RATIO);
    let edit_outcome = b
        .client
        .find(Locator::Css("#outcomes + table a[href*='/outcomes/']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    b.screenshot_full("calculator-project").await;
    assert_layout(&b, "project page").await;

    // The report: the headline, the outcome, both charts with their titles, the downloads.
    b.click("#report-link").await;
    let report = b.wait_for_path(|p| p.ends_with("/report")).await;
    assert_eq!(report, format!("{project}/report"));
    assert_eq!(b.text("h1").await, NAME);
    assert_eq!(b.text("#net-ratio").await, RATIO);
    let main = b.text("main").await;
    assert!(main.contains("Participants into work"), "{main}");
    let titles = b
        .js("return Array.from(document.querySelectorAll('main svg.chart')).map(svg =>
               [svg.querySelector(':scope > title').textContent, svg.querySelectorAll('rect').length])")
        .await;
    let titles = titles.as_array().unwrap();
    for title in [
        "Present value of net benefits by outcome",
        "Sensitivity of the social return to each assumption",
    ] {
        let chart = titles
            .iter()
            .find(|t| t[0] == title)
            .unwrap_or_else(|| panic!("no chart titled {title:?}: {titles:?}"));
        assert!(chart[1].as_u64().unwrap() > 0, "{title} draws bars");
    }
    let links = b
        .js(
            "return Array.from(document.querySelectorAll('#downloads + ul a'))
               .map(a => [a.textContent, a.getAttribute('href')])",
        )
        .await;
    let links = links.as_array().unwrap();
    // No PDF link in a build without the `pdf` feature.
    let extensions: &[&str] = if cfg!(feature = "pdf") {
        &[".pdf", ".xlsx", ".csv"]
    } else {
        &[".xlsx", ".csv"]
    };
    assert_eq!(links.len(), extensions.len(), "{links:?}");
    for (link, ext) in links.iter().zip(extensions) {
        assert!(link[1].as_str().unwrap().ends_with(ext), "{link}");
    }
    let [.., xlsx_link, csv_link] = links.as_slice() else {
        panic!("no workbook and CSV links: {links:?}")
    };
    // The workbook and the CSV answer with the session the browser holds.
    let files = b
        .client
        .execute_async(
            "const [xlsx, csv, done] = arguments;
             Promise.all([fetch(xlsx).then(r => r.arrayBuffer()), fetch(csv).then(r => r.text())])
               .then(([x, c]) => done({xlsx: Array.from(new Uint8Array(x).slice(0, 2)), csv: c}));",
            vec![xlsx_link[1].clone(), csv_link[1].clone()],
        )
        .await
        .unwrap();
    assert_eq!(files["xlsx"], json!([b'P', b'K']), "an .xlsx is a zip");
    assert!(
        files["csv"]
            .as_str()
            .unwrap()
            .contains("Participants into work")
    );
    b.screenshot_full("calculator-report").await;
    assert_layout(&b, "report page").await;

    // The PDF, downloaded by clicking its link: headless Chromium honours the download
    // preferences set in `start`, so the file lands in `b.downloads` with no prompt.
    #[cfg(feature = "pdf")]
    {
        b.client
            .find(Locator::LinkText("PDF report"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let pdf_path = downloaded(&b.downloads, "pdf").await;
        let pdf = std::fs::read(&pdf_path).unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{} is a PDF", pdf_path.display());
        if let Some(pdftotext) = required_program("pdftotext", "apt-get install poppler-utils") {
            let out = Command::new(pdftotext)
                .arg(&pdf_path)
                .arg("-")
                .output()
                .unwrap();
            assert!(out.status.success());
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(text.contains(NAME), "{text}");
            assert!(text.contains(RATIO), "{text}");
            assert!(text.contains("Participants into work"), "{text}");

            // The file and its pages as pictures, for people to look at.
            let dir = screenshot_dir();
            std::fs::copy(&pdf_path, dir.join("calculator-report.pdf")).unwrap();
            for old in std::fs::read_dir(&dir).unwrap() {
                let old = old.unwrap().path();
                if old
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("calculator-pdf-")
                {
                    std::fs::remove_file(old).unwrap();
                }
            }
            let status = Command::new("pdftoppm")
                .args(["-png", "-r", "50"])
                .arg(&pdf_path)
                .arg(dir.join("calculator-pdf"))
                .status()
                .unwrap();
            assert!(status.success());
        }
    }

    // Accessibility of the calculator's pages.
    for (path, name) in [
        ("/projects", "a11y-projects"),
        (project.as_str(), "a11y-project"),
        (report.as_str(), "a11y-report"),
        ("/proxies", "a11y-proxies"),
        (edit_outcome.as_str(), "a11y-outcome-edit"),
    ] {
        assert_accessible(&b, path, name).await;
        assert_layout(&b, path).await;
    }
}

/// The password every person of the procurement journey signs in with.
const JOURNEY_PASSWORD: &str = "a long enough passphrase";

/// A person of the procurement journey: how they sign in and how pages name them.
struct Person {
    email: &'static str,
    name: &'static str,
}

impl Person {
    const fn new(email: &'static str, name: &'static str) -> Self {
        Person { email, name }
    }
}

impl Browser {
    /// Signs `who` in through the login form, starting signed out at `path` (which sends
    /// them to sign in and back); waits until they are back on `path`.
    async fn sign_in_at(&self, path: &str, who: &Person) {
        // Cookies belong to the page's site, so forget them from one of its pages.
        self.goto("/").await;
        self.client.delete_all_cookies().await.unwrap();
        self.goto(path).await;
        let at = self.path().await;
        assert!(
            at.starts_with("/login?next="),
            "{path} for {}: {at}",
            who.email
        );
        self.fill("email", who.email).await;
        self.fill("password", JOURNEY_PASSWORD).await;
        self.click("main button[type=submit]").await;
        self.wait_for_path(|p| p == path).await;
    }

    /// Clicks `element`, a form's submit button, and waits (up to 10 s) until the page the
    /// form leads to has loaded, even when it is the same address; a page with an error
    /// summary fails at once with its messages. Answers the new path.
    async fn submit_element(&self, element: fantoccini::elements::Element) -> String {
        self.js("window.svatlasOldPage = true; return null").await;
        element.click().await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let fresh = self
                .client
                .execute(
                    "return window.svatlasOldPage === undefined && document.readyState === 'complete'",
                    vec![],
                )
                .await;
            if matches!(fresh, Ok(Value::Bool(true))) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the form on {} led nowhere",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if let Ok(summary) = self.client.find(Locator::Css(".govuk-error-summary")).await {
            panic!(
                "the form was refused on {}: {}",
                self.path().await,
                summary.text().await.unwrap()
            );
        }
        self.path().await
    }

    /// Submits the form whose submit button is `css`; see [`Browser::submit_element`].
    async fn submit(&self, css: &str) -> String {
        let button = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"));
        self.submit_element(button).await
    }

    /// Submits the form of the button in `main` that reads `text`.
    async fn press(&self, text: &str) -> String {
        let xpath = format!("//main//button[normalize-space()='{text}']");
        let path = self.path().await;
        let button = self
            .client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no button {text:?} on {path}: {e}"));
        self.submit_element(button).await
    }

    /// Chooses the option of the select with this id whose value is `value`.
    async fn choose(&self, id: &str, value: &str) {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no #{id}: {e}"))
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("no option {value:?} in #{id}: {e}"));
    }

    /// Ticks the radio button or checkbox `css`, as a click would, and checks it took.
    async fn tick(&self, css: &str) {
        let path = self.path().await;
        let input = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on {path}: {e}"));
        if !input.is_selected().await.unwrap() {
            input.click().await.unwrap();
        }
        assert!(input.is_selected().await.unwrap(), "{css} is ticked");
    }

    /// The questions of every bid on an evaluate or moderate page, in page order: each one's
    /// section id, question id and the supplier whose answer it is.
    async fn panel_items(&self) -> Vec<(String, String, String)> {
        let items = self
            .js(
                "return Array.from(document.querySelectorAll('main section[id^=\"bid-\"]')).map(s => [
                   s.id,
                   s.querySelector('h3').textContent.split(':')[0].trim(),
                   s.querySelector('.govuk-inset-text p').textContent.replace(/'s answer$/, '').trim()])",
            )
            .await;
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let part = |k: usize| i[k].as_str().unwrap().to_owned();
                (part(0), part(1), part(2))
            })
            .collect()
    }

    /// Scores every question on an evaluate or moderate page: for each, the score `plan` gives
    /// its supplier and question, chosen by its radio button, and the reasons (rationale or
    /// justification) `reasons` writes, then the section's own button; each lands back on the
    /// page at that question.
    async fn score_every_question(
        &self,
        plan: &[(&str, [(&str, &str); 3])],
        reasons: impl Fn(&str, &str) -> String,
    ) {
        let items = self.panel_items().await;
        assert_eq!(items.len(), 6, "two bids of three questions: {items:?}");
        let page = self.path().await;
        for (anchor, question, supplier) in &items {
            let (_, scores) = plan
                .iter()
                .find(|(s, _)| s == supplier)
                .unwrap_or_else(|| panic!("no plan for {supplier}"));
            let (_, score) = scores
                .iter()
                .find(|(q, _)| q == question)
                .unwrap_or_else(|| panic!("no plan for {supplier}, {question}"));
            self.tick(&format!(
                "section#{anchor} input[name=score][value='{score}']"
            ))
            .await;
            self.fill(&format!("{anchor}-text"), &reasons(supplier, question))
                .await;
            let back = self
                .submit(&format!("section#{anchor} button[type=submit]"))
                .await;
            assert_eq!(back, page, "back to {page} after scoring {anchor}");
            let fragment = self.client.current_url().await.unwrap();
            assert_eq!(fragment.fragment(), Some(anchor.as_str()), "at {anchor}");
        }
    }
}

/// The whole procurement journey in the browser, every step through the pages' links, buttons
/// and forms: a buyer's admin creates METHOD.md Example 5's tender (price 40, Q1 quality 50,
/// SV1 6% on MAC 2.2, SV2 4% on MAC 8.1) and invites two suppliers by the organisation ids
/// their own pages show; each supplier bids; bids close and the admin names a panel of two
/// evaluators and a moderator; the evaluators score independently (evaluator 1 never sees
/// evaluator 2's reasons), the moderator sees both and records consensus scores, the admin
/// reads the ranking and awards the winner; the winner reports delivery on the contract and
/// uploads a PDF as evidence; the buyer's contract manager verifies it and the dashboard counts
/// it as delivered. The tender, bid, evaluate, moderate, results, contract, claim and tenders
/// pages pass the accessibility and layout checks.
#[tokio::test]
async fn procurement_journey_from_tender_to_verified_delivery() {
    const COUNCIL: &str = "Plymouth City Council";
    const HARBOUR: &str = "Harbour Transport Ltd";
    const TAMAR: &str = "Tamar Community Buses CIC";
    const TITLE: &str = "Community transport, Plymouth";
    let started = Instant::now();
    // Tenders need no area data: skipping its import starts the server in seconds.
    let Some(b) = start(&["--no-import"]).await else {
        return;
    };
    let admin = Person::new("procurement@plymouth.example", "Priya Shah");
    let manager = Person::new("contracts@plymouth.example", "Colin Marsh");
    let eval1 = Person::new("eval1@plymouth.example", "Evelyn Ash");
    let eval2 = Person::new("eval2@plymouth.example", "Ewan Birch");
    let moderator = Person::new("moderator@plymouth.example", "Morwenna Cole");
    let harbour = Person::new("bids@harbour.example", "Hana Reed");
    let tamar = Person::new("bids@tamar.example", "Tom Penrose");
    // Accounts made the way the first admin's is; the moderator is not the admin, and
    // neither evaluator is the moderator.
    for (who, org, role) in [
        (&admin, COUNCIL, "admin"),
        (&manager, COUNCIL, "editor"),
        (&eval1, COUNCIL, "viewer"),
        (&eval2, COUNCIL, "viewer"),
        (&moderator, COUNCIL, "editor"),
        (&harbour, HARBOUR, "editor"),
        (&tamar, TAMAR, "editor"),
    ] {
        add_user(&b, who.email, who.name, org, role, JOURNEY_PASSWORD);
    }

    // Each supplier reads its organisation id off its own organisation page, to give the buyer.
    let mut supplier_ids = Vec::new();
    for (who, org) in [(&harbour, HARBOUR), (&tamar, TAMAR)] {
        b.sign_in_at("/account", who).await;
        b.client
            .find(Locator::LinkText(org))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.wait_for_path(|p| p.starts_with("/organisations/")).await;
        assert_eq!(b.text("h1").await, org);
        let id = b.text("code#organisation-id").await;
        assert_eq!(id.len(), 36, "{org}'s id: {id}");
        supplier_ids.push(id);
    }

    // The buyer's admin creates the tender through the form.
    b.sign_in_at("/tenders", &admin).await;
    assert_eq!(b.text("h1").await, "Tenders");
    b.click("main a[href='#create']").await;
    for (id, text) in [
        ("t-title", TITLE),
        (
            "t-description",
            "Door-to-door transport for older and disabled residents.",
        ),
        ("t-contract_value", "1,000,000"),
        ("t-closing_date", "2027-01-31"),
        ("t-start_date", "2027-04-01"),
        ("t-end_date", "2030-03-31"),
        ("t-areas", "E06000026"),
        ("t-price_weight", "40"),
    ] {
        b.fill(id, text).await;
    }
    b.tick("#t-edition").await;
    b.tick("#t-crit-2020-mac-2-2").await;
    b.tick("#t-crit-2020-mac-8-1").await;
    b.tick("#t-method").await;
    for (r, id, kind, weight, criterion, text) in [
        (
            0,
            "Q1",
            "quality",
            "50",
            "",
            "How will you run the service?",
        ),
        (
            1,
            "SV1",
            "social_value",
            "6",
            "MAC 2.2",
            "Jobs and apprenticeships for local people",
        ),
        (
            2,
            "SV2",
            "social_value",
            "4",
            "MAC 8.1",
            "Co-design with service users",
        ),
    ] {
        b.fill(&format!("t-q{r}-id"), id).await;
        b.choose(&format!("t-q{r}-kind"), kind).await;
        b.fill(&format!("t-q{r}-weight"), weight).await;
        b.choose(&format!("t-q{r}-criterion"), criterion).await;
        b.fill(&format!("t-q{r}-text"), text).await;
    }
    b.screenshot_full("procurement-create-tender").await;
    let tender = b.press("Create draft tender").await;
    assert!(tender.starts_with("/tenders/"), "{tender}");
    let tender_id = tender.trim_start_matches("/tenders/").to_owned();
    assert_eq!(tender_id.len(), 36, "{tender}");
    assert_eq!(b.text("h1").await, TITLE);
    assert!(b.text(".govuk-caption-l").await.contains("Draft"));
    assert_eq!(b.text("#w-price").await, "40%");
    assert_eq!(b.text("#w-quality").await, "50%");
    assert_eq!(b.text("#w-sv").await, "10%");
    let main = b.text("main").await;
    for expected in [
        "Jobs and apprenticeships for local people",
        "MAC 2.2",
        "MAC 8.1",
        "E06000026",
    ] {
        assert!(
            main.contains(expected),
            "tender page lacks {expected}: {main}"
        );
    }

    // It invites both suppliers by their ids, then opens for bids.
    for id in &supplier_ids {
        b.fill("invite-organisation_id", id).await;
        let back = b.press("Invite supplier").await;
        assert_eq!(back, tender);
    }
    let invited = b.text("#suppliers + ul").await;
    assert!(
        invited.contains(HARBOUR) && invited.contains(TAMAR),
        "{invited}"
    );
    b.press("Open for bids").await;
    assert!(b.text(".govuk-caption-l").await.contains("Open for bids"));

    // Each supplier finds the tender in its list and bids: Harbour at £900,000 saves a draft
    // and then submits it; Tamar at £1,000,000 saves and submits at once.
    let bid_page = format!("{tender}/bid");
    for (who, price) in [(&harbour, "900,000"), (&tamar, "1,000,000")] {
        b.sign_in_at("/tenders", who).await;
        let invited = b.text("#invited + table").await;
        assert!(
            invited.contains(TITLE) && invited.contains(COUNCIL),
            "{invited}"
        );
        b.click(&format!("#invited + table a[href='{bid_page}']"))
            .await;
        b.wait_for_path(|p| p == bid_page).await;
        assert_eq!(b.text("h1").await, "Your bid");
        assert_eq!(b.text("#bid-status").await, "Not started");
        if who.email == harbour.email {
            assert_accessible(&b, &bid_page, "a11y-procurement-bid").await;
            assert_layout(&b, "bid page").await;
        }
        b.fill("b-price", price).await;
        for (i, answer) in [
            "A fleet of six accessible minibuses, booked by phone or online.",
            "Six apprenticeships for Plymouth residents, with a local college.",
            "A users' panel meeting quarterly to shape routes and booking.",
        ]
        .iter()
        .enumerate()
        {
            b.fill(&format!("b-answer-{i}"), answer).await;
        }
        b.choose("b-c0-criterion", "MAC 2.2").await;
        b.choose("b-c0-metric", "SVM20-2.2-c").await;
        for (id, text) in [
            ("b-c0-description", "Apprenticeships for Plymouth residents"),
            ("b-c0-target", "6"),
            ("b-c0-start_date", "2027-04-01"),
            ("b-c0-end_date", "2030-03-31"),
            ("b-c0-area", "E06000026"),
        ] {
            b.fill(id, text).await;
        }
        if who.email == harbour.email {
            b.screenshot_full("procurement-bid-form").await;
            assert_eq!(b.press("Save as draft").await, bid_page);
            assert_eq!(b.text("#bid-status").await, "Draft");
            assert_eq!(b.press("Submit the bid").await, bid_page);
        } else {
            assert_eq!(b.press("Save and submit the bid").await, bid_page);
        }
        assert!(
            b.text("#bid-status").await.starts_with("Submitted"),
            "{}",
            b.text("#bid-status").await
        );
        assert!(b.text("#commitments ~ dl").await.contains("SVM20-2.2-c"));
    }
    b.screenshot_full("procurement-bid-submitted").await;

    // The admin closes bidding and names the panel.
    b.sign_in_at(&tender, &admin).await;
    b.press("Close bids and start evaluation").await;
    assert!(b.text(".govuk-caption-l").await.contains("valuation"));
    for (who, role) in [
        (&eval1, "#panel-role"),
        (&eval2, "#panel-role"),
        (&moderator, "#panel-role-moderator"),
    ] {
        b.client
            .find(Locator::Id("panel-user_id"))
            .await
            .unwrap()
            .select_by_label(&format!("{} ({})", who.name, who.email))
            .await
            .unwrap();
        b.tick(role).await;
        assert_eq!(b.press("Add to the panel").await, tender);
    }
    let panel = b.text("#panel ~ table").await;
    for who in [&eval1, &eval2, &moderator] {
        assert!(panel.contains(who.name), "{panel}");
    }
    assert!(panel.contains("Moderator"), "{panel}");
    b.screenshot_full("procurement-tender").await;
    assert_accessible(&b, &tender, "a11y-procurement-tender").await;
    assert_layout(&b, "tender page").await;

    // The evaluators score every answer with their reasons, independently. Evaluator 2 marks
    // Harbour's Q1 down to 20, far from evaluator 1's 80.
    let evaluate = format!("{tender}/evaluate");
    let eval1_plan = [
        (HARBOUR, [("Q1", "80"), ("SV1", "80"), ("SV2", "80")]),
        (TAMAR, [("Q1", "100"), ("SV1", "50"), ("SV2", "50")]),
    ];
    let eval2_plan = [
        (HARBOUR, [("Q1", "20"), ("SV1", "80"), ("SV2", "80")]),
        (TAMAR, [("Q1", "100"), ("SV1", "50"), ("SV2", "50")]),
    ];
    b.sign_in_at(&tender, &eval2).await;
    b.click("#next-steps a[href$='/evaluate']").await;
    b.wait_for_path(|p| p == evaluate).await;
    b.score_every_question(&eval2_plan, |s, q| {
        format!("Evaluator two on {s}, {q}: the evidence is thin")
    })
    .await;
    b.sign_in_at(&evaluate, &eval1).await;
    assert_eq!(b.text("h1").await, "Score the bids");
    let main = b.text("main").await;
    assert!(
        main.contains("A fleet of six accessible minibuses"),
        "{main}"
    );
    assert!(
        !main.contains("Evaluator two"),
        "evaluator 1 sees evaluator 2's reasons: {main}"
    );
    b.score_every_question(&eval1_plan, |s, q| {
        format!("Evaluator one on {s}, {q}: a solid, costed plan")
    })
    .await;
    let main = b.text("main").await;
    assert!(
        main.contains(&format!("Evaluator one on {HARBOUR}, Q1")),
        "{main}"
    );
    assert!(
        !main.contains("Evaluator two"),
        "evaluator 1 sees only their own reasons: {main}"
    );
    b.screenshot_full("procurement-evaluate").await;
    assert_accessible(&b, &evaluate, "a11y-procurement-evaluate").await;
    assert_layout(&b, "evaluate page").await;

    // The moderator sees both evaluators' scores and reasons and records the consensus.
    // Harbour (£900,000) 80/80/80: 40 + 40 + 8 = 88; Tamar (£1,000,000) 100/50/50:
    // 36 + 50 + 5 = 91, the winner.
    let moderate = format!("{tender}/moderate");
    b.sign_in_at(&tender, &moderator).await;
    b.click("#next-steps a[href$='/moderate']").await;
    b.wait_for_path(|p| p == moderate).await;
    let main = b.text("main").await;
    for expected in [
        "Evaluator one on Harbour Transport Ltd, Q1",
        "Evaluator two on Harbour Transport Ltd, Q1",
        "Lowest 20, highest 80",
        "differ by more than one step",
        "6 questions still need a consensus score",
    ] {
        assert!(
            main.contains(expected),
            "moderate page lacks {expected}: {main}"
        );
    }
    b.score_every_question(&eval1_plan, |s, q| {
        format!("Agreed by the panel for {s}, {q}")
    })
    .await;
    assert!(
        b.text("#missing")
            .await
            .contains("Every question of every bid"),
        "{}",
        b.text("#missing").await
    );
    b.screenshot_full("procurement-moderate").await;
    assert_accessible(&b, &moderate, "a11y-procurement-moderate").await;
    assert_layout(&b, "moderate page").await;

    // The admin reads the ranking and awards the tender to the winner.
    let results = format!("{tender}/results");
    b.sign_in_at(&tender, &admin).await;
    b.click("#next-steps a[href$='/results']").await;
    b.wait_for_path(|p| p == results).await;
    let ranking = b
        .js(
            "return Array.from(document.querySelectorAll('#results-table tbody tr'))
               .map(r => Array.from(r.children).map(c => c.textContent.trim()))",
        )
        .await;
    let ranking = ranking.as_array().unwrap();
    assert_eq!(ranking.len(), 2, "{ranking:?}");
    let row = |i: usize, k: usize| ranking[i][k].as_str().unwrap().to_owned();
    assert_eq!(row(0, 0), "1", "{ranking:?}");
    assert!(row(0, 1).starts_with(TAMAR) && row(0, 1).contains("Highest ranked"));
    assert_eq!(row(0, 8), "91.00", "{ranking:?}");
    assert_eq!(row(1, 0), "2", "{ranking:?}");
    assert!(row(1, 1).starts_with(HARBOUR), "{ranking:?}");
    assert_eq!(row(1, 8), "88.00", "{ranking:?}");
    let main = b.text("main").await;
    assert!(
        main.contains(
            "Price score = 40% × lowest price £900,000.00 ÷ this price £1,000,000.00 = 36.00"
        ),
        "the workings are shown: {main}"
    );
    b.screenshot_full("procurement-results").await;
    assert_accessible(&b, &results, "a11y-procurement-results").await;
    assert_layout(&b, "results page").await;
    b.client
        .find(Locator::XPath(&format!(
            "//main//label[normalize-space()='{TAMAR} (rank 1)']"
        )))
        .await
        .expect("the winner can be chosen")
        .click()
        .await
        .unwrap();
    let contract = b.press("Award the tender").await;
    assert!(contract.starts_with("/contracts/"), "{contract}");
    assert_eq!(b.text("h1").await, TITLE);
    b.goto(&tender).await;
    assert!(b.text(".govuk-caption-l").await.contains("Awarded"));
    assert!(
        b.client
            .find(Locator::Css(&format!("#next-steps a[href='{contract}']")))
            .await
            .is_ok(),
        "the tender links to its contract"
    );

    // The winner finds its contract and reports two apprenticeships started.
    b.sign_in_at("/contracts", &tamar).await;
    b.click(&format!("main a[href='{contract}']")).await;
    b.wait_for_path(|p| p == contract).await;
    assert_eq!(b.text("#kpi-K1 th").await, "K1");
    b.click("main a.govuk-button[href='#report']").await;
    for (id, text) in [
        ("c-period_start", "2027-04-01"),
        ("c-period_end", "2027-06-30"),
        ("c-quantity", "2"),
        ("c-note", "Two apprentices started with the fleet team"),
        ("c-beneficiary_ref", "P-0042"),
    ] {
        b.fill(id, text).await;
    }
    let kpi = b.client.find(Locator::Id("c-kpi_id")).await.unwrap();
    assert_eq!(kpi.prop("value").await.unwrap().as_deref(), Some("K1"));
    let claim = b
        .submit(&format!(
            "form[action='{contract}/claims'] button[type=submit]"
        ))
        .await;
    assert!(claim.starts_with(&format!("{contract}/claims/")), "{claim}");
    assert_eq!(b.text("#claim-status").await, "Awaiting review");
    assert_eq!(
        b.text("#claim-quantity").await.trim_end(),
        "2 apprenticeships"
    );

    // Evidence: a small PDF, chosen in the file field as a person would.
    let evidence = b._dir.path().join("apprentice register Q2.pdf");
    std::fs::write(
        &evidence,
        b"%PDF-1.4\n% apprentices register, Q2 2027\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
    )
    .unwrap();
    b.client
        .find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(evidence.to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(b.press("Upload file").await, claim);
    assert!(
        b.text("#evidence-files")
            .await
            .contains("apprentice register Q2.pdf"),
        "{}",
        b.text("#evidence-files").await
    );
    b.screenshot_full("procurement-claim").await;
    assert_accessible(&b, &claim, "a11y-procurement-claim").await;
    assert_layout(&b, "claim page").await;

    // The buyer's contract manager opens the claim from the contract and verifies it.
    b.sign_in_at(&contract, &manager).await;
    b.click(&format!("#claims-table a[href='{claim}']")).await;
    b.wait_for_path(|p| p == claim).await;
    assert!(
        b.text("#evidence-files")
            .await
            .contains("apprentice register Q2.pdf")
    );
    b.tick("#r-decision").await;
    b.fill("r-note", "Matches the apprenticeship register")
        .await;
    assert_eq!(b.press("Send review").await, claim);
    assert_eq!(b.text("#claim-status").await, "Verified");
    assert!(b.text("main").await.contains("counts as delivered"));

    // The dashboard counts the verified delivery: 2 of 6 for K1, the claim verified.
    b.goto(&contract).await;
    let k1 = b
        .js("return Array.from(document.querySelectorAll('#kpi-K1 > *')).map(c => c.textContent.trim())")
        .await;
    let k1: Vec<&str> = k1
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(k1[0], "K1", "{k1:?}");
    assert!(
        k1[1].starts_with("Apprenticeships for Plymouth residents"),
        "{k1:?}"
    );
    assert_eq!((k1[3], k1[4], k1[5]), ("6", "2", "2"), "{k1:?}");
    assert_eq!(k1[6], "33%", "{k1:?}");
    let chart = b
        .js("return document.querySelector('#kpi-figure svg').textContent")
        .await;
    assert!(
        chart
            .as_str()
            .unwrap()
            .contains("2 of 6 apprenticeships verified (33%); 2 reported"),
        "the chart's K1 bar: {chart}"
    );
    let claims = b.text("#claims-table tbody").await;
    assert!(
        claims.contains("Verified") && claims.contains("P-0042"),
        "{claims}"
    );
    assert!(
        b.text("#progress")
            .await
            .contains("0 claims awaiting review")
    );
    b.screenshot_full("procurement-contract").await;
    assert_accessible(&b, &contract, "a11y-procurement-contract").await;
    assert_layout(&b, "contract page").await;
    eprintln!(
        "procurement journey took {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The tenders list and its create form, last so that the journey above is checked
    // whatever happens here. The form's criterion selects (one per question row, each option
    // a criterion's whole title) must stay inside the page at 1280 px wide rather than push
    // it to scroll sideways.
    assert_accessible(&b, "/tenders", "a11y-procurement-tenders").await;
    assert_layout(&b, "/tenders with its create form").await;
}
