//! Where spend lines were spent, from the shipped open data: a postcode through the ONS
//! postcode lookup (its derived LSOA 2021 is an estimate and says so), or an area code; then the
//! small area's district and its IMD 2025 decile (IMD 2019 for an LSOA 2011).

use svatlas_areas::geography::AreaType;
use svatlas_domain::procurement::spend::{SpendLine, SpendPlace, SpendSummary, summarise_spend};
use svatlas_store::procurement::{ContractRecord, SpendRecord};

use crate::platform::download::DataTable;
use crate::platform::error::AppError;
use crate::state::{AppState, Postcodes};

/// The place of one line, or `None` when it cannot be worked out (no postcode or area, an
/// unknown one, or the server runs without area data).
pub(crate) fn locate(state: &AppState, line: &SpendLine) -> Option<SpendPlace> {
    let frame = state.areas().ok()?;
    let decile = |indicator: &str, code: &str| {
        frame
            .value(indicator, code)
            .filter(|d| (1.0..=10.0).contains(d))
            .map(|d| d as u8)
    };
    let lad_of = |code: &str, t: AreaType| -> Option<String> {
        frame.area_of(code, t)?.parent_codes.iter().find_map(|p| {
            [AreaType::Lad24, AreaType::Lad19]
                .into_iter()
                .find_map(|lt| frame.area_of(p, lt))
                .map(|a| a.code.clone())
        })
    };
    let small = |code: &str, lad: Option<String>, estimate: bool| -> Option<SpendPlace> {
        if frame.area_of(code, AreaType::Lsoa21).is_some() {
            Some(SpendPlace {
                lsoa: Some(code.to_owned()),
                lad: lad.or_else(|| lad_of(code, AreaType::Lsoa21)),
                imd_decile: decile("iod2025.imd.decile", code),
                imd_edition: Some("IoD2025".into()),
                estimate,
            })
        } else if frame.area_of(code, AreaType::Lsoa11).is_some() {
            Some(SpendPlace {
                lsoa: Some(code.to_owned()),
                lad: lad.or_else(|| lad_of(code, AreaType::Lsoa11)),
                imd_decile: decile("iod2019.imd.decile", code),
                imd_edition: Some("IoD2019".into()),
                estimate,
            })
        } else {
            None
        }
    };
    if let Some(code) = line.area.as_deref().map(str::trim) {
        if let Some(place) = small(code, None, false) {
            return Some(place);
        }
        let district = [AreaType::Lad24, AreaType::Lad19]
            .into_iter()
            .find_map(|t| frame.area_of(code, t))?;
        return Some(SpendPlace {
            lsoa: None,
            lad: Some(district.code.clone()),
            imd_decile: None,
            imd_edition: None,
            estimate: false,
        });
    }
    let postcode = line.postcode.as_deref()?;
    let Postcodes::Ready(index) = state.postcodes() else {
        return None;
    };
    let found = index.lookup(postcode)?;
    let lad = (!found.lad.is_empty()).then(|| found.lad.clone());
    if let Some(l21) = &found.lsoa21
        && let Some(place) = small(l21, lad.clone(), found.lsoa21_is_estimate)
    {
        return Some(place);
    }
    if let Some(l11) = &found.lsoa11
        && let Some(place) = small(l11, lad.clone(), false)
    {
        return Some(place);
    }
    lad.map(|lad| SpendPlace {
        lsoa: None,
        lad: Some(lad),
        imd_decile: None,
        imd_edition: None,
        estimate: false,
    })
}

/// A contract's spend: every line with its place, the summary and the contract's areas (its
/// tender's). The spend page and its downloads render these same figures.
pub(crate) struct SpendFigures {
    pub lines: Vec<(SpendRecord, Option<SpendPlace>)>,
    pub summary: SpendSummary,
    pub areas: Vec<String>,
}

/// The spend figures of a contract.
pub(crate) async fn spend_figures(
    state: &AppState,
    contract: &ContractRecord,
) -> Result<SpendFigures, AppError> {
    let records = state.store().spend_of_contract(contract.id).await?;
    let areas = state
        .store()
        .tender(contract.tender_id)
        .await?
        .details
        .areas;
    Ok(figures_of(state, records, areas))
}

/// The figures of a contract's lines, read already, in the contract's `areas`.
pub(crate) fn figures_of(
    state: &AppState,
    records: Vec<SpendRecord>,
    areas: Vec<String>,
) -> SpendFigures {
    let lines: Vec<(SpendRecord, Option<SpendPlace>)> = records
        .into_iter()
        .map(|r| {
            let place = locate(state, &r.line);
            (r, place)
        })
        .collect();
    let pairs: Vec<(SpendLine, Option<SpendPlace>)> = lines
        .iter()
        .map(|(r, p)| (r.line.clone(), p.clone()))
        .collect();
    let summary = summarise_spend(&pairs, &areas);
    SpendFigures {
        lines,
        summary,
        areas,
    }
}

/// Every line with its place, and the contract's summary.
pub(crate) async fn spend_view(
    state: &AppState,
    contract: &ContractRecord,
) -> Result<(Vec<(SpendRecord, Option<SpendPlace>)>, SpendSummary), AppError> {
    let f = spend_figures(state, contract).await?;
    Ok((f.lines, f.summary))
}

impl SpendFigures {
    /// Every line with its place, as a download.
    pub(crate) fn table(&self, contract: &ContractRecord) -> DataTable {
        let mut table = DataTable::new(
            format!("Local spend: {}", contract.title),
            "contract-spend",
            &[
                "supplier",
                "amount_gbp",
                "date",
                "postcode",
                "area",
                "lsoa",
                "district",
                "imd_decile",
                "imd_edition",
                "lsoa_is_estimate",
                "sme",
                "vcse",
                "description",
            ],
        );
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        for (r, place) in &self.lines {
            let l = &r.line;
            let place = place.as_ref();
            table.rows.push(vec![
                l.supplier.as_str().into(),
                l.amount_gbp.into(),
                l.date.as_str().into(),
                l.postcode.clone().unwrap_or_default().into(),
                l.area.clone().unwrap_or_default().into(),
                place
                    .and_then(|p| p.lsoa.clone())
                    .unwrap_or_default()
                    .into(),
                place.and_then(|p| p.lad.clone()).unwrap_or_default().into(),
                place
                    .and_then(|p| p.imd_decile)
                    .map(u32::from)
                    .map(f64::from)
                    .into(),
                place
                    .and_then(|p| p.imd_edition.clone())
                    .unwrap_or_default()
                    .into(),
                yes_no(place.is_some_and(|p| p.estimate)).into(),
                yes_no(l.sme).into(),
                yes_no(l.vcse).into(),
                l.description.as_str().into(),
            ]);
        }
        table.notes.push(
            "Places from the ONS postcode lookup (OGL v3.0; derived LSOA 2021 columns are \
             estimates) and IMD deciles from the English Indices of Deprivation (MHCLG, OGL v3.0)."
                .into(),
        );
        table
    }
}
