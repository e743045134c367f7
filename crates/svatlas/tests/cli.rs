//! The `svatlas` binary as a user runs it: the calculator on the published vectors, errors, and
//! a real server on a socket with graceful shutdown.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

mod common;

use common::{http_get, spawn_serve, svatlas};

const VECTORS: &str = include_str!("../../svatlas-domain/tests/data/sroi-test-vectors.json");

fn write_example(dir: &tempfile::TempDir, index: usize) -> (std::path::PathBuf, serde_json::Value) {
    let vectors: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
    let example = vectors["examples"][index].clone();
    let path = dir.path().join(format!("example{index}.json"));
    std::fs::write(&path, example.to_string()).unwrap();
    (path, example)
}

/// Asserts the command succeeded, showing what it printed to stderr if not.
fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `svatlas data import` of the CSV `file` as `dataset`, LSOA 2021 codes in its `lsoa` column,
/// with `more` arguments.
fn import_csv(url: &str, file: &Path, dataset: &str, more: &[&str]) -> Output {
    svatlas()
        .args(["--database-url", url, "data", "import", "--file"])
        .arg(file)
        .args(["--dataset", dataset, "--code-column", "lsoa"])
        .args(["--geography", "lsoa21"])
        .args(more)
        .output()
        .unwrap()
}

/// What `svatlas data list` prints.
fn data_list(url: &str) -> String {
    let list = svatlas()
        .args(["--database-url", url, "data", "list"])
        .output()
        .unwrap();
    String::from_utf8(list.stdout).unwrap()
}

#[test]
fn sroi_calc_json_matches_every_published_vector() {
    let dir = tempfile::tempdir().unwrap();
    let vectors: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
    for index in 0..vectors["examples"].as_array().unwrap().len() {
        let (path, example) = write_example(&dir, index);
        let output = svatlas()
            .args(["sroi", "calc", "--json"])
            .arg(&path)
            .output()
            .unwrap();
        assert_success(&output);
        let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        for (key, expected) in example["expected"].as_object().unwrap() {
            let tolerance = if key.contains("ratio") || key.starts_with("payback") {
                1e-6
            } else {
                0.01
            };
            let got = result[key]
                .as_f64()
                .unwrap_or_else(|| panic!("{key} missing"));
            assert!(
                (got - expected.as_f64().unwrap()).abs() <= tolerance,
                "{}: {key} {got} vs {expected}",
                example["name"]
            );
        }
    }
}

#[test]
fn sroi_calc_table_shows_the_headline_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = write_example(&dir, 0);
    // Runs from another working directory: the binary never assumes the repository root.
    let output = svatlas()
        .current_dir(dir.path())
        .args(["sroi", "calc"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.contains("£137,487.64"), "{table}");
    assert!(table.contains("£2.42 for every £1"), "{table}");
    assert!(table.contains("£6.40 for every £1"), "{table}");
    assert!(table.contains("10.24 months"), "{table}");
    assert!(table.contains("not reachable"), "{table}");
}

#[test]
fn sroi_calc_reports_invalid_fields_and_bad_json_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut example) = write_example(&dir, 0);
    example["outcomes"][0]["attribution"] = serde_json::json!(-0.2);
    std::fs::write(&path, example.to_string()).unwrap();
    let calc = || {
        svatlas()
            .args(["sroi", "calc"])
            .arg(&path)
            .output()
            .unwrap()
    };
    let output = calc();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("outcomes[0].attribution"), "{stderr}");

    std::fs::write(&path, "{\n  \"outcomes\": [,\n}").unwrap();
    let output = calc();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(":2:"), "line number missing: {stderr}");

    let output = svatlas()
        .args(["sroi", "calc", "/no/such/file.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/no/such/file.json"));
}

#[test]
fn serve_answers_on_a_socket_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    let (mut child, mut stderr, port) = spawn_serve(
        dir.path(),
        &format!("sqlite://{}", db.display()),
        &["--no-import"],
    );
    let health = http_get(port, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"database\":\"sqlite\""), "{health}");
    assert!(
        db.exists(),
        "the SQLite file is created where --database-url says"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit {exit:?}; log: {rest}");
    assert!(rest.contains("SIGTERM received"), "{rest}");
}

#[test]
fn backup_writes_a_copy_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("live.db").display());
    let target = dir.path().join("copy.db");
    let backup = || {
        svatlas()
            .args(["--database-url", &url, "backup", "--to"])
            .arg(&target)
            .output()
            .unwrap()
    };
    assert_success(&backup());
    assert!(target.metadata().unwrap().len() > 0);
    let again = backup();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn data_import_is_idempotent_and_user_csvs_load_or_fail_whole() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("areas.db").display());
    // From another directory, with no --data-dir: the binary finds the shipped data itself.
    let first = svatlas()
        .current_dir(dir.path())
        .args(["--database-url", &url, "data", "import"])
        .output()
        .unwrap();
    assert_success(&first);
    let log = String::from_utf8_lossy(&first.stderr);
    assert!(log.contains("iod2019") && log.contains("added"), "{log}");

    let again = svatlas()
        .args(["--database-url", &url, "data", "import"])
        .output()
        .unwrap();
    assert!(again.status.success());
    let log = String::from_utf8_lossy(&again.stderr);
    assert!(!log.contains(" added"), "second import rewrote data: {log}");
    assert!(log.contains("already up to date"), "{log}");

    let list = data_list(&url);
    for id in [
        "iod2019",
        "iod2025",
        "wimd2019",
        "simd2020v2",
        "nimdm2017",
        "ukimd",
        "census2021",
        "healthindex",
    ] {
        assert!(list.contains(id), "data list lacks {id}:\n{list}");
    }
    // 47 IoD2019 indicators for each of the 32,844 LSOAs of 2011.
    assert!(
        list.contains(&(47 * 32_844).to_string()),
        "IoD2019 LSOA values missing:\n{list}"
    );

    // The server loads the imported data (dataset by dataset) and answers with official figures.
    let (mut child, _stderr, port) = spawn_serve(dir.path(), &url, &[]);
    let summary = http_get(port, "/api/v1/areas/E06000026/summary?edition=iod2019");
    let _ = child.kill();
    let _ = child.wait();
    assert!(summary.starts_with("HTTP/1.1 200"), "{summary}");
    assert!(
        summary.contains("\"average_score\":26.61"),
        "Plymouth IoD2019 average score: {summary}"
    );
    assert!(
        summary.contains("\"rank_of_average_score\":64"),
        "{summary}"
    );

    // A bad file: unknown code on line 3, non-numeric value on line 4; nothing is stored.
    let bad = dir.path().join("bad.csv");
    let rows = "lsoa,score\nE01000001,1.5\nE99999999,2\nE01000002,abc\n";
    std::fs::write(&bad, rows).unwrap();
    let output = import_csv(&url, &bad, "mydata", &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.csv:3:1"), "{stderr}");
    assert!(stderr.contains("bad.csv:4:2"), "{stderr}");
    assert!(!data_list(&url).contains("mydata"));

    // A good file becomes indicators usable everywhere.
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "lsoa,score\nE01000001,1.5\nE01000002,2.5\n").unwrap();
    let output = import_csv(&url, &good, "mydata", &["--licence", "CC-BY-4.0"]);
    assert_success(&output);
    assert!(String::from_utf8_lossy(&output.stdout).contains("mydata.user.score"));
    let list = data_list(&url);
    assert!(
        list.contains("mydata") && list.contains("CC-BY-4.0") && list.contains("(user data)"),
        "{list}"
    );

    // A shipped dataset's name cannot be reused.
    let clash = import_csv(&url, &good, "iod2019", &[]);
    assert!(!clash.status.success());
}
