//! `svatlas data ...`: import the shipped open data (or a user's CSV) into the store, and list it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use svatlas_areas::AreaType;
use svatlas_store::Store;
use svatlas_store::area_data::ImportOutcome;

use crate::cli::{DataCommand, ImportArgs};

/// Where user datasets sort after the shipped ones.
const USER_SEQ_BASE: i64 = 1_000;

/// Runs `svatlas data ...`.
pub async fn run(
    database_url: &str,
    data_dir: Option<&Path>,
    command: DataCommand,
) -> anyhow::Result<ExitCode> {
    let store = super::open_store(database_url).await?;
    let code = match command {
        DataCommand::Import(args) if args.file.is_some() => import_user_file(&store, &args).await?,
        DataCommand::Import(_) => {
            import_shipped(&store, &resolve_data_dir(data_dir)?).await?;
            ExitCode::SUCCESS
        }
        DataCommand::List => {
            list(&store).await?;
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}

/// Finds the shipped `data/` folder: `--data-dir` if given, else next to the executable (walking
/// up, so `target/release/svatlas` finds the repository's `data/`), else the source tree the
/// binary was built from. The binary therefore works from any working directory.
pub fn resolve_data_dir(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    let looks_right =
        |dir: &Path| dir.join("need-to-svm.csv").is_file() && dir.join("README.md").is_file();
    if let Some(dir) = explicit {
        if looks_right(dir) {
            return Ok(dir.to_path_buf());
        }
        bail!(
            "{} is not an sv-atlas data folder (it has no need-to-svm.csv and README.md)",
            dir.display()
        );
    }
    if let Ok(exe) = std::env::current_exe() {
        for ancestor in exe.ancestors().skip(1) {
            let candidate = ancestor.join("data");
            if looks_right(&candidate) {
                return Ok(candidate);
            }
        }
    }
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    if looks_right(&built_from) {
        return Ok(built_from);
    }
    bail!(
        "cannot find the shipped data folder; pass --data-dir PATH (the repository's data/ folder)"
    )
}

/// Loads every shipped dataset and stores each in its own transaction, with a progress bar.
pub async fn import_shipped(store: &Store, data_dir: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let bar = ProgressBar::new(0)
        .with_style(bar_style())
        .with_message("reading the shipped files");
    bar.enable_steady_tick(Duration::from_millis(120));
    let dir = data_dir.to_path_buf();
    let reading = bar.clone();
    let bundles = tokio::task::spawn_blocking(move || {
        svatlas_areas::ingest::load_all(&dir, &mut |dataset, done, total| {
            reading.set_length(total as u64 * 2);
            reading.set_position(done as u64);
            reading.set_message(format!("read {dataset}"));
        })
    })
    .await
    .context("the reading task failed")?
    .with_context(|| format!("reading the shipped data in {}", data_dir.display()))?;
    let total = bundles.len() as u64;
    bar.set_length(total * 2);
    bar.set_position(total);
    let mut written = Vec::new();
    for (seq, bundle) in bundles.iter().enumerate() {
        bar.set_message(format!("storing {}", bundle.dataset.id));
        let outcome = store
            .save_area_bundle(bundle, seq as i64, false)
            .await
            .with_context(|| format!("storing dataset {}", bundle.dataset.id))?;
        written.push((bundle.dataset.id.clone(), outcome));
        bar.inc(1);
    }
    bar.finish_and_clear();
    for (id, outcome) in &written {
        let what = match outcome {
            ImportOutcome::Added => "added",
            ImportOutcome::Replaced => "updated",
            ImportOutcome::Unchanged => "already up to date",
        };
        eprintln!("  {id:<12} {what}");
    }
    eprintln!(
        "imported {} datasets in {:.1} s",
        written.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

async fn import_user_file(store: &Store, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let (Some(file), Some(dataset), Some(code_column), Some(geography)) = (
        &args.file,
        &args.dataset,
        &args.code_column,
        &args.geography,
    ) else {
        bail!("--file needs --dataset NAME, --code-column COLUMN and --geography TYPE as well");
    };
    let valid_id = !dataset.is_empty()
        && dataset.len() <= 40
        && dataset
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && dataset.starts_with(|c: char| c.is_ascii_lowercase());
    if !valid_id {
        bail!(
            "--dataset must be 1-40 characters of a-z, 0-9 and _, starting with a letter (it prefixes indicator ids)"
        );
    }
    if svatlas_areas::catalog::dataset(dataset).is_some() || dataset == "geography" {
        bail!("--dataset {dataset} is the name of a shipped dataset; choose another name");
    }
    let geography: AreaType = geography.parse().map_err(|_| {
        anyhow::anyhow!("--geography {geography} is not an area type (e.g. lsoa21, lsoa11, lad24)")
    })?;
    let known: HashSet<String> = store.area_codes(geography).await?.into_iter().collect();
    if known.is_empty() {
        bail!("no {geography} areas are stored yet: run `svatlas data import` first");
    }
    let (path, dataset_id, column) = (file.clone(), dataset.clone(), code_column.clone());
    let result = tokio::task::spawn_blocking(move || {
        svatlas_areas::ingest::user_csv_file(&path, &dataset_id, &column, geography, &known)
    })
    .await
    .context("the reading task failed")?;
    let mut bundle = match result {
        Ok(bundle) => bundle,
        Err(problems) => {
            for p in &problems.problems {
                eprintln!("{}:{}:{}: {}", p.file, p.line, p.column, p.message);
            }
            if problems.total > problems.problems.len() {
                eprintln!(
                    "... and {} more problems",
                    problems.total - problems.problems.len()
                );
            }
            eprintln!(
                "nothing was stored: {} problem(s) in {}",
                problems.total,
                file.display()
            );
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(licence) = &args.licence {
        bundle.dataset.licence = licence.clone();
    }
    let seq = USER_SEQ_BASE + store.list_area_datasets().await?.len() as i64;
    let outcome = store.save_area_bundle(&bundle, seq, true).await?;
    let values: usize = bundle.columns.iter().map(|c| c.values.len()).sum();
    println!(
        "{} dataset {dataset}: {} indicator(s), {values} values ({outcome:?})",
        if outcome == ImportOutcome::Replaced {
            "updated"
        } else {
            "stored"
        },
        bundle.indicators.len()
    );
    for indicator in &bundle.indicators {
        println!("  {}", indicator.id);
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(store: &Store) -> anyhow::Result<()> {
    let datasets = store.list_area_datasets().await?;
    if datasets.is_empty() {
        println!("no datasets yet: run `svatlas data import`");
        return Ok(());
    }
    println!(
        "{:<12} {:<9} {:>10} {:>10} {:<14} NAME",
        "ID", "GEOGRAPHY", "INDICATORS", "VALUES", "LICENCE"
    );
    for d in &datasets {
        println!(
            "{:<12} {:<9} {:>10} {:>10} {:<14} {}{}",
            d.dataset.id,
            d.dataset.geography.as_str(),
            d.indicator_count,
            d.value_count,
            d.dataset.licence,
            d.dataset.name,
            if d.user_supplied { " (user data)" } else { "" }
        );
    }
    Ok(())
}
