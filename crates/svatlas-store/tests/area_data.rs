//! Area data round trips through the store on every backend: what is read back is exactly what
//! was imported, and analysis on the reloaded data gives the official figures.

use std::path::PathBuf;

use svatlas_areas::geography::{ChangeCode, LsoaLink};
use svatlas_areas::{
    Area, AreaFrame, AreaType, DatasetBundle, Edition, Indicator, IndicatorColumn,
};
use svatlas_store::area_data::ImportOutcome;
use svatlas_store::testing::all_backends;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

fn small_bundle(id: &str) -> DatasetBundle {
    let mut dataset = svatlas_areas::catalog::dataset("iod2019").expect("catalogued");
    dataset.id = id.to_string();
    dataset.name = format!("Test dataset {id}");
    let mut bundle = DatasetBundle::with_dataset(dataset);
    bundle.areas = vec![
        Area {
            code: "E01000001".into(),
            name: "City of London 001A".into(),
            area_type: AreaType::Lsoa21,
            parent_codes: vec!["E09000001".into()],
        },
        Area {
            code: "E09000001".into(),
            name: "City of London".into(),
            area_type: AreaType::Lad24,
            parent_codes: vec![],
        },
    ];
    bundle.indicators = vec![Indicator {
        id: format!("{id}.imd.score"),
        dataset: id.to_string(),
        name: "IMD score".into(),
        unit: "score".into(),
        geography: AreaType::Lsoa21,
        description: "test".into(),
        higher_is_more_deprived: Some(true),
    }];
    bundle.columns = vec![IndicatorColumn {
        indicator: format!("{id}.imd.score"),
        codes: vec!["E01000001".into(), "E01000002".into()],
        values: vec![6.208, -0.5e-300],
    }];
    bundle.lsoa_links = vec![LsoaLink {
        lsoa11: "E01000001".into(),
        lsoa21: "E01000001".into(),
        change: ChangeCode::U,
    }];
    bundle
}

#[tokio::test]
async fn a_bundle_reads_back_exactly_and_reimport_is_idempotent() {
    for t in all_backends().await {
        let bundle = small_bundle("testset");
        assert!(!t.store.has_area_data().await.unwrap());
        assert_eq!(
            t.store.save_area_bundle(&bundle, 1, true).await.unwrap(),
            ImportOutcome::Added,
            "{}",
            t.label
        );
        assert_eq!(
            t.store.save_area_bundle(&bundle, 1, true).await.unwrap(),
            ImportOutcome::Unchanged,
            "{}",
            t.label
        );
        let back = t.store.load_area_bundles().await.unwrap();
        assert_eq!(
            back,
            vec![bundle.clone()],
            "{}: bundle changed in the store",
            t.label
        );
        // One dataset at a time reads the same, even with another dataset stored beside it
        // (which may name the same areas: the first dataset to define an area wins in memory).
        t.store
            .save_area_bundle(&small_bundle("other"), 2, true)
            .await
            .unwrap();
        assert_eq!(
            t.store.load_area_bundle("testset").await.unwrap(),
            bundle,
            "{}",
            t.label
        );
        assert!(matches!(
            t.store.load_area_bundle("nope").await,
            Err(svatlas_store::StoreError::NotFound)
        ));
        t.store.delete_user_dataset("other").await.unwrap();

        let mut changed = bundle.clone();
        changed.columns[0].values[0] = 7.0;
        assert_eq!(
            t.store.save_area_bundle(&changed, 1, true).await.unwrap(),
            ImportOutcome::Replaced
        );
        let back = t.store.load_area_bundles().await.unwrap();
        assert_eq!(back[0].columns[0].values[0], 7.0);
        assert_eq!(back.len(), 1, "replacing must not duplicate");

        let listed = t.store.list_area_datasets().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].value_count, 2);
        assert_eq!(listed[0].area_count, 2);
        assert_eq!(listed[0].indicator_count, 1);
        assert!(listed[0].user_supplied);

        t.store.delete_user_dataset("testset").await.unwrap();
        assert!(
            t.store.load_area_bundles().await.unwrap().is_empty(),
            "{}",
            t.label
        );
        assert!(matches!(
            t.store.delete_user_dataset("testset").await,
            Err(svatlas_store::StoreError::NotFound)
        ));
        t.finish().await;
    }
}

/// Instances started at once on an empty database each import the same bundle: it is stored
/// once and the others find it unchanged; a reader meanwhile sees it whole or not at all.
#[tokio::test]
async fn instances_importing_at_once_store_a_dataset_once() {
    for t in all_backends().await {
        let bundle = small_bundle("together");
        let imports: Vec<_> = (0..4)
            .map(|_| {
                let (store, bundle) = (t.store.clone(), bundle.clone());
                tokio::spawn(async move { store.save_area_bundle(&bundle, 1, true).await })
            })
            .collect();
        let reader = {
            let store = t.store.clone();
            tokio::spawn(async move { store.load_area_bundles().await })
        };
        let mut outcomes = Vec::new();
        for import in imports {
            outcomes.push(
                import
                    .await
                    .unwrap()
                    .unwrap_or_else(|e| panic!("{}: {e}", t.label)),
            );
        }
        let added = outcomes
            .iter()
            .filter(|o| **o == ImportOutcome::Added)
            .count();
        let unchanged = outcomes
            .iter()
            .filter(|o| **o == ImportOutcome::Unchanged)
            .count();
        assert_eq!((added, unchanged), (1, 3), "{}: {outcomes:?}", t.label);
        let seen = reader.await.unwrap().unwrap();
        assert!(
            seen.is_empty() || seen == vec![bundle.clone()],
            "{}",
            t.label
        );
        assert_eq!(
            t.store.load_area_bundles().await.unwrap(),
            vec![bundle],
            "{}",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn shipped_datasets_cannot_be_deleted_as_user_data() {
    let t = svatlas_store::testing::sqlite().await;
    t.store
        .save_area_bundle(&small_bundle("shipped"), 0, false)
        .await
        .unwrap();
    assert!(t.store.delete_user_dataset("shipped").await.is_err());
    assert_eq!(t.store.load_area_bundles().await.unwrap().len(), 1);
    t.finish().await;
}

#[tokio::test]
async fn all_shipped_data_round_trips_and_gives_official_figures() {
    let bundles = svatlas_areas::ingest::load_all(&data_dir(), &mut |_, _, _| {})
        .expect("shipped data loads");
    for t in all_backends().await {
        for (seq, bundle) in bundles.iter().enumerate() {
            t.store
                .save_area_bundle(bundle, seq as i64, false)
                .await
                .unwrap();
        }
        let back = t.store.load_area_bundles().await.unwrap();
        assert_eq!(back.len(), bundles.len(), "{}", t.label);
        for (a, b) in back.iter().zip(&bundles) {
            assert!(
                a == b,
                "{}: dataset {} differs after the round trip",
                t.label,
                b.dataset.id
            );
        }
        let frame = AreaFrame::from_bundles(&back).unwrap();
        let plymouth: Vec<&str> = frame
            .lsoas_in("E06000026", Edition::Iod2019)
            .iter()
            .map(|a| a.code.as_str())
            .collect();
        assert_eq!(plymouth.len(), 161);
        let summary =
            svatlas_areas::summary::summarise(&frame, Edition::Iod2019, &plymouth).unwrap();
        let json = serde_json::to_value(&summary).unwrap();
        let score = json["domains"]["imd"]["average_score"].as_f64().unwrap();
        assert!(
            (score - 26.619).abs() < 0.0005,
            "{}: Plymouth average score {score}",
            t.label
        );
        // A second import of the same data writes nothing.
        for (seq, bundle) in bundles.iter().enumerate() {
            assert_eq!(
                t.store
                    .save_area_bundle(bundle, seq as i64, false)
                    .await
                    .unwrap(),
                ImportOutcome::Unchanged
            );
        }
        t.finish().await;
    }
}
