//! What the partner directory's API and pages share: who may see and change a VCSE profile,
//! its needs and pledges, and the geography behind search by place and the match ranking.
//!
//! The rules, in one place:
//! - A published profile, its needs and their totals are public (no sign-in, no token). An
//!   unpublished one is seen only by members of its organisation; anyone else gets 404.
//! - A profile and its needs are changed by its organisation's editors and admins (viewers
//!   403); members of other organisations get 404, even for a published profile.
//! - A pledge is made under a contract by the contract's supplier (editors and admins). It is
//!   seen by members of the supplier, of the VCSE and of the contract's buyer; the supplier's
//!   editors report delivery, the VCSE's editors confirm or query it; anyone else gets 404.
//! - Match lists are seen by whoever may see the tender or contract
//!   ([`crate::procurement::access::tender_for`], [`crate::procurement::access::contract_for`]).
//!
//! Search by place matches a profile serving the area itself, an area containing it or an
//! area within it; matching ranks with [`svatlas_domain::partners::matching`]. Without area
//! data or boundaries on the server nothing fails: place search falls back to exact codes and
//! the ranking says which factor is not available.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use serde::Serialize;
use svatlas_areas::AreaFrame;
use svatlas_areas::boundaries::{LAYER_FILES, Shape};
use svatlas_areas::geography::{AreaType, Edition as IodEdition};
use svatlas_domain::accounts::Role;
use svatlas_domain::partners::matching::{Available, Candidate, rank, score_match};
use svatlas_domain::partners::{Cause, MatchScore, NeedKind};
use svatlas_store::StoreError;
use svatlas_store::partners::{PledgeRecord, ProfileRecord};
use uuid::Uuid;

use crate::need::maps::MapData;
use crate::platform::auth::Caller;
use crate::platform::error::{AppError, ErrorDetail};
use crate::state::AppState;
use svatlas_domain::partners::ProfileDetails;

/// The IMD 2025 decile of an LSOA 2021 (1 = most deprived 10% in England).
pub const IMD_DECILE: &str = "iod2025.imd.decile";
/// Most matches listed for one tender or contract.
pub const MAX_MATCHES: usize = 50;
/// Most profiles on one page of the directory.
pub const MAX_PER_PAGE: usize = 100;
/// Profiles on a page of the directory unless asked otherwise.
pub const DEFAULT_PER_PAGE: usize = 20;

fn no_profile(id: Uuid) -> AppError {
    AppError::NotFound(format!("no partner profile with id {id}"))
}

/// The profile, if the caller may see it (published, or the caller is a member), with the
/// caller's role in its organisation. Otherwise 404.
pub(crate) async fn profile_for(
    state: &AppState,
    caller: Option<&Caller>,
    id: Uuid,
) -> Result<(ProfileRecord, Option<Role>), AppError> {
    let profile = match state.store().profile(id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Err(no_profile(id)),
        Err(e) => return Err(e.into()),
    };
    let role = caller.and_then(|c| c.role_in(profile.organisation_id));
    if profile.details.published || role.is_some() {
        Ok((profile, role))
    } else {
        Err(no_profile(id))
    }
}

/// The profile for a change: 404 unless the caller is a member, 403 below editor.
pub(crate) async fn profile_to_edit(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<ProfileRecord, AppError> {
    let (profile, role) = profile_for(state, Some(caller), id).await?;
    if role.is_none() {
        return Err(no_profile(id));
    }
    caller.require_role(profile.organisation_id, Role::Editor)?;
    Ok(profile)
}

/// Which side of a pledge the caller is on, with their role there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PledgeSides {
    pub supplier: Option<Role>,
    pub vcse: Option<Role>,
    pub buyer: Option<Role>,
}

impl PledgeSides {
    /// The supplier's editors report delivery.
    pub fn require_supplier(self) -> Result<(), AppError> {
        match self.supplier {
            Some(r) if r.at_least(Role::Editor) => Ok(()),
            Some(r) => Err(AppError::Forbidden(format!(
                "this needs the editor role in the supplier organisation; yours is {r}"
            ))),
            None => Err(AppError::Forbidden(
                "only the pledging supplier reports delivery".into(),
            )),
        }
    }

    /// The VCSE's editors confirm or query delivery.
    pub fn require_vcse(self) -> Result<(), AppError> {
        match self.vcse {
            Some(r) if r.at_least(Role::Editor) => Ok(()),
            Some(r) => Err(AppError::Forbidden(format!(
                "this needs the editor role in the organisation supported; yours is {r}"
            ))),
            None => Err(AppError::Forbidden(
                "only the organisation supported confirms or queries delivery".into(),
            )),
        }
    }
}

/// The pledge, if the caller belongs to its supplier, VCSE or the contract's buyer; else 404.
pub(crate) async fn pledge_for(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<(PledgeRecord, PledgeSides), AppError> {
    let pledge = match state.store().pledge(id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => {
            return Err(AppError::NotFound(format!("no pledge with id {id}")));
        }
        Err(e) => return Err(e.into()),
    };
    let sides = PledgeSides {
        supplier: caller.role_in(pledge.supplier_organisation_id),
        vcse: caller.role_in(pledge.vcse_organisation_id),
        buyer: caller.role_in(pledge.buyer_organisation_id),
    };
    if sides.supplier.is_none() && sides.vcse.is_none() && sides.buyer.is_none() {
        return Err(AppError::NotFound(format!("no pledge with id {id}")));
    }
    Ok((pledge, sides))
}

/// Today as `YYYY-MM-DD` (UTC).
pub(crate) fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// Where a figure comes from, for the API.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SourceBody {
    /// Dataset or document.
    pub name: String,
    /// Who publishes it.
    pub publisher: String,
    /// Edition.
    pub edition: String,
    /// Licence.
    pub licence: String,
    /// Attribution to show with it.
    pub attribution: String,
    /// Where to find it.
    pub url: Option<String>,
}

impl From<&crate::platform::download::Source> for SourceBody {
    fn from(s: &crate::platform::download::Source) -> Self {
        SourceBody {
            name: s.name.clone(),
            publisher: s.publisher.clone(),
            edition: s.edition.clone(),
            licence: s.licence.clone(),
            attribution: s.attribution.clone(),
            url: s.url.clone(),
        }
    }
}

/// The geography a request can use: the area data and the boundaries, either of which a server
/// may lack.
#[derive(Clone, Copy)]
pub(crate) struct Geo<'a> {
    pub frame: Option<&'a AreaFrame>,
    pub maps: Option<&'a MapData>,
}

/// Area codes are upper case without spaces.
pub(crate) fn clean_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

impl<'a> Geo<'a> {
    pub fn of(state: &'a AppState) -> Self {
        Geo {
            frame: state.areas().ok(),
            maps: state.maps(),
        }
    }

    /// Whether the IMD 2025 deciles can be read.
    pub fn has_need(&self) -> bool {
        self.frame
            .is_some_and(|f| f.indicator(IMD_DECILE).is_some())
    }

    /// The name of an area, if known.
    pub fn name(&self, code: &str) -> Option<String> {
        self.frame?.area(code).map(|a| a.name.clone())
    }

    /// Whether the server knows the code (always true without area data).
    pub fn known(&self, code: &str) -> bool {
        self.frame.is_none_or(|f| !f.locate_all(code).is_empty())
    }

    /// Every area containing `code` (parents, their parents...), in any vintage.
    pub fn ancestors(&self, code: &str) -> HashSet<String> {
        let mut out = HashSet::new();
        let Some(frame) = self.frame else {
            return out;
        };
        let mut queue = VecDeque::from([code.to_owned()]);
        while let Some(c) = queue.pop_front() {
            for at in frame.locate_all(&c) {
                for p in frame.parents(at) {
                    if p.code != code && out.insert(p.code.clone()) {
                        queue.push_back(p.code.clone());
                    }
                }
            }
        }
        out
    }

    /// Whether area `a` is `b`, contains it or lies within it.
    pub fn overlaps(&self, a: &str, b: &str, ancestors: &mut Ancestors) -> bool {
        a == b || ancestors.of(self, a).contains(b) || ancestors.of(self, b).contains(a)
    }

    /// The average IMD 2025 decile of the LSOAs in `areas` (each once) and their number.
    pub fn need(&self, areas: &[String]) -> Option<(f64, usize)> {
        let frame = self.frame?;
        let mut seen: HashSet<&str> = HashSet::new();
        let (mut sum, mut n) = (0.0, 0_usize);
        for a in areas {
            for lsoa in frame.lsoas_in(a, IodEdition::Iod2025) {
                if seen.insert(lsoa.code.as_str())
                    && let Some(d) = frame.value(IMD_DECILE, &lsoa.code)
                {
                    sum += d;
                    n += 1;
                }
            }
        }
        (n > 0).then(|| (sum / n as f64, n))
    }

    /// The centre of an area's shape (British National Grid metres): its own boundary, or the
    /// mean of the centres of the districts, else LSOAs, inside it.
    pub fn centre(&self, code: &str) -> Option<(f64, f64)> {
        let maps = self.maps?;
        let b = maps.boundaries();
        let own = match self.frame {
            Some(frame) => frame
                .locate_all(code)
                .into_iter()
                .find_map(|at| b.shape(at.area_type, code)),
            None => LAYER_FILES.iter().find_map(|(t, _)| b.shape(*t, code)),
        };
        if let Some(shape) = own {
            return shape_centre(shape);
        }
        let frame = self.frame?;
        for level in [AreaType::Lad24, AreaType::Lsoa21] {
            let inside: Vec<(f64, f64)> = frame
                .children(code, level)
                .iter()
                .filter_map(|a| b.shape(level, &a.code).and_then(shape_centre))
                .collect();
            if !inside.is_empty() {
                let n = inside.len() as f64;
                let (x, y) = inside
                    .iter()
                    .fold((0.0, 0.0), |(x, y), (a, b)| (x + a, y + b));
                return Some((x / n, y / n));
            }
        }
        None
    }
}

/// A cache of [`Geo::ancestors`] for one request.
#[derive(Default)]
pub(crate) struct Ancestors(HashMap<String, HashSet<String>>);

impl Ancestors {
    pub fn of(&mut self, geo: &Geo<'_>, code: &str) -> &HashSet<String> {
        self.0
            .entry(code.to_owned())
            .or_insert_with(|| geo.ancestors(code))
    }
}

/// The area-weighted centre of a shape's outer rings (holes ignored), metres.
fn shape_centre(shape: &Shape) -> Option<(f64, f64)> {
    let (mut area, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for ring in shape.polygons.iter().filter_map(|p| p.first()) {
        for w in ring.windows(2) {
            let (x0, y0) = (f64::from(w[0][0]), f64::from(w[0][1]));
            let (x1, y1) = (f64::from(w[1][0]), f64::from(w[1][1]));
            let cross = x0 * y1 - x1 * y0;
            area += cross;
            cx += (x0 + x1) * cross;
            cy += (y0 + y1) * cross;
        }
    }
    if area.abs() > f64::EPSILON {
        Some((cx / (3.0 * area), cy / (3.0 * area)))
    } else {
        let [x0, y0, x1, y1] = shape.bbox;
        Some((
            (f64::from(x0) + f64::from(x1)) / 2.0,
            (f64::from(y0) + f64::from(y1)) / 2.0,
        ))
    }
}

/// Distance between two sets of areas, km: 0 when any two overlap, else between the nearest
/// centres; `None` when no centre is known for one side.
pub(crate) fn distance_km(
    geo: &Geo<'_>,
    ancestors: &mut Ancestors,
    centres: &mut HashMap<String, Option<(f64, f64)>>,
    served: &[String],
    wanted: &[String],
) -> Option<f64> {
    for a in served {
        for b in wanted {
            if geo.overlaps(a, b, ancestors) {
                return Some(0.0);
            }
        }
    }
    let mut centre = |code: &str| {
        *centres
            .entry(code.to_owned())
            .or_insert_with(|| geo.centre(code))
    };
    let mut best: Option<f64> = None;
    for a in served {
        let Some((ax, ay)) = centre(a) else { continue };
        for b in wanted {
            let Some((bx, by)) = centre(b) else { continue };
            let km = (ax - bx).hypot(ay - by) / 1000.0;
            best = Some(best.map_or(km, |d| d.min(km)));
        }
    }
    best
}

/// A search of the directory.
#[derive(Debug, Clone, Default)]
pub(crate) struct Search {
    /// An area code.
    pub place: Option<String>,
    /// A cause.
    pub cause: Option<Cause>,
    /// A kind of open need.
    pub need: Option<NeedKind>,
}

/// Reads the search parameters, naming the parameter on a problem.
pub(crate) fn parse_search(
    geo: &Geo<'_>,
    place: Option<&str>,
    cause: Option<&str>,
    need: Option<&str>,
) -> Result<Search, Vec<ErrorDetail>> {
    let mut problems = Vec::new();
    let place = place.map(clean_code).filter(|p| !p.is_empty());
    if let Some(p) = &place
        && (p.len() > 12 || !p.chars().all(|c| c.is_ascii_alphanumeric()) || !geo.known(p))
    {
        problems.push(ErrorDetail::new(
            "unknown_area",
            Some("place".into()),
            format!("{p:?} is not an area code this server knows, such as E06000026 (Plymouth)"),
        ));
    }
    let cause_text = cause.map(str::trim).filter(|c| !c.is_empty());
    let parsed = cause_text.and_then(Cause::parse);
    if let (Some(text), None) = (cause_text, &parsed) {
        problems.push(ErrorDetail::new(
            "unknown_cause",
            Some("cause".into()),
            format!(
                "{text:?} is not a cause: use a Social Value Model criterion (MAC 2.2, MAC 1a), \
                 a 2025 mission (mission:kickstart-economic-growth) or a Bristol Accord component \
                 (well_served)"
            ),
        ));
    }
    let need_text = need.map(str::trim).filter(|n| !n.is_empty());
    let kind = need_text.and_then(NeedKind::parse);
    if let (Some(text), None) = (need_text, kind) {
        problems.push(ErrorDetail::new(
            "unknown_need",
            Some("need".into()),
            format!(
                "{text:?} is not a kind of need: volunteers, goods, funding, skills or premises"
            ),
        ));
    }
    if problems.is_empty() {
        Ok(Search {
            place,
            cause: parsed,
            need: kind,
        })
    } else {
        Err(problems)
    }
}

/// Whether a profile serves the place: the area itself, one containing it or one within it.
fn serves(geo: &Geo<'_>, ancestors: &mut Ancestors, areas: &[String], place: &str) -> bool {
    areas.iter().any(|a| geo.overlaps(a, place, ancestors))
}

/// Whether a profile works on the cause. A mission also finds the criteria under it.
fn works_on(profile: &ProfileRecord, cause: &Cause) -> bool {
    let causes = profile.details.parsed_causes();
    causes.contains(cause)
        || matches!(cause, Cause::Mission(m) if causes.iter().any(|c| c.missions().contains(m)))
}

/// The published profiles found by a search, in name order, with the kinds of their open needs.
pub(crate) async fn search(
    state: &AppState,
    search: &Search,
) -> Result<Vec<(ProfileRecord, BTreeSet<NeedKind>)>, AppError> {
    let geo = Geo::of(state);
    let mut needs: HashMap<Uuid, BTreeSet<NeedKind>> = HashMap::new();
    for (profile, kind) in state.store().open_need_kinds().await? {
        needs.entry(profile).or_default().insert(kind);
    }
    let mut ancestors = Ancestors::default();
    let mut out = Vec::new();
    for p in state.store().published_profiles().await? {
        if let Some(place) = &search.place
            && !serves(&geo, &mut ancestors, &p.details.areas, place)
        {
            continue;
        }
        if let Some(cause) = &search.cause
            && !works_on(&p, cause)
        {
            continue;
        }
        let kinds = needs.remove(&p.id).unwrap_or_default();
        if let Some(kind) = search.need
            && !kinds.contains(&kind)
        {
            continue;
        }
        out.push((p, kinds));
    }
    Ok(out)
}

/// Published profiles ranked for a tender or contract.
pub(crate) struct Ranked {
    /// Best first, at most [`MAX_MATCHES`].
    pub rows: Vec<(ProfileRecord, MatchScore)>,
    /// How many published profiles were ranked.
    pub considered: usize,
    /// Why a factor is left out, per factor.
    pub available: Available,
}

/// Ranks every published profile (except those of `exclude`) against the criteria and areas.
pub(crate) async fn rank_partners(
    state: &AppState,
    wanted: &[Cause],
    areas: &[String],
    exclude: &[Uuid],
) -> Result<Ranked, AppError> {
    let geo = Geo::of(state);
    let available = Available {
        causes: (!wanted.iter().any(|c| matches!(c, Cause::Criterion { .. })))
            .then(|| "no Social Value Model criteria are named".to_owned()),
        need: if geo.frame.is_none() {
            Some("area data is not loaded on this server".to_owned())
        } else if !geo.has_need() {
            Some("the IMD 2025 figures are not loaded on this server".to_owned())
        } else {
            None
        },
        distance: if areas.is_empty() {
            Some("no areas are named".to_owned())
        } else if geo.maps.is_none() {
            Some("area boundaries are not loaded on this server".to_owned())
        } else {
            None
        },
    };
    let mut ancestors = Ancestors::default();
    let mut centres = HashMap::new();
    let mut rows = Vec::new();
    for p in state.store().published_profiles().await? {
        if exclude.contains(&p.organisation_id) {
            continue;
        }
        let need = if available.need.is_none() {
            geo.need(&p.details.areas)
        } else {
            None
        };
        let candidate = Candidate {
            causes: p.details.parsed_causes(),
            need_decile: need.map(|(d, _)| d),
            need_lsoas: need.map_or(0, |(_, n)| n),
            distance_km: if available.distance.is_none() {
                distance_km(&geo, &mut ancestors, &mut centres, &p.details.areas, areas)
            } else {
                None
            },
        };
        let score = score_match(wanted, &candidate, &available);
        rows.push((p, score));
    }
    let considered = rows.len();
    rank(&mut rows);
    rows.truncate(MAX_MATCHES);
    Ok(Ranked {
        rows,
        considered,
        available,
    })
}

/// The sources behind a match list: IMD 2025 (when loaded), the boundaries and the Social
/// Value Model.
pub(crate) fn match_sources(state: &AppState) -> Vec<crate::platform::download::Source> {
    let mut out = Vec::new();
    if let Ok(frame) = state.areas()
        && let Some(ind) = frame.indicator(IMD_DECILE)
        && let Some(d) = frame.datasets().iter().find(|d| d.id == ind.dataset)
    {
        out.push(crate::platform::download::Source::of(d));
    }
    if state.maps().is_some() {
        out.push(crate::platform::download::Source {
            id: "boundaries".into(),
            name: "Area boundaries (simplified), for area centres and distances".into(),
            publisher: "Office for National Statistics and the devolved statistics offices".into(),
            edition: "as shipped in data/boundaries".into(),
            licence: "OGL-UK-3.0".into(),
            attribution: "Contains OS data © Crown copyright and database right. Distances are \
                          straight lines between area centres."
                .into(),
            url: None,
        });
    }
    for edition in svatlas_domain::procurement::model::Edition::ALL {
        out.push(crate::platform::download::Source {
            id: "social-value-model".into(),
            name: edition.title().into(),
            publisher: "Cabinet Office".into(),
            edition: edition.id().into(),
            licence: "OGL-UK-3.0".into(),
            attribution: edition.attribution().into(),
            url: None,
        });
    }
    out
}

/// The criteria a list of ids names, as causes (unknown ids are left out).
pub(crate) fn criteria_causes<'a>(ids: impl IntoIterator<Item = &'a String>) -> Vec<Cause> {
    let mut out: Vec<Cause> = Vec::new();
    for id in ids {
        if let Some(c @ Cause::Criterion { .. }) = Cause::parse(id)
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    out
}

/// Normalises and checks a profile, including that its area codes are known (when the
/// server has area data).
pub(crate) fn checked_details(
    geo: &Geo<'_>,
    details: ProfileDetails,
) -> Result<ProfileDetails, AppError> {
    let details = details.normalised();
    details.validate()?;
    let unknown: Vec<String> = details
        .areas
        .iter()
        .filter(|a| !geo.known(a))
        .cloned()
        .collect();
    if let Some(first) = unknown.first() {
        let at = details.areas.iter().position(|a| a == first).unwrap_or(0);
        return Err(AppError::Unprocessable(vec![
            ErrorDetail::new(
                "unknown_area",
                Some(format!("areas[{at}]")),
                format!(
                    "{} not an area code this server knows: {}",
                    if unknown.len() == 1 {
                        "this is"
                    } else {
                        "these are"
                    },
                    unknown.join(", ")
                ),
            )
            .with_codes(unknown),
        ]));
    }
    Ok(details)
}

/// How a search worked on this server.
pub(crate) fn search_notes(geo: &Geo<'_>, by_place: bool) -> Vec<String> {
    let mut notes = vec![
        "Only published profiles are listed; each organisation writes its own profile.".to_owned(),
    ];
    if by_place {
        notes.push(if geo.frame.is_some() {
            "A place finds organisations serving that area, an area containing it (such as its \
             district or region) or an area within it (such as its neighbourhoods)."
                .to_owned()
        } else {
            "Area data is not loaded on this server, so a place finds only organisations naming \
             that exact area code."
                .to_owned()
        });
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_has_its_centre_in_the_middle() {
        let ring = vec![[0, 0], [2000, 0], [2000, 2000], [0, 2000], [0, 0]];
        let shape = Shape {
            code: "X".into(),
            name: "X".into(),
            polygons: vec![vec![ring]],
            bbox: [0, 0, 2000, 2000],
        };
        let (x, y) = shape_centre(&shape).unwrap();
        assert!((x - 1000.0).abs() < 1e-9 && (y - 1000.0).abs() < 1e-9);
    }

    #[test]
    fn search_parameters_name_their_problem() {
        let geo = Geo {
            frame: None,
            maps: None,
        };
        let s = parse_search(&geo, Some(" e06000026 "), Some("MAC 2.2"), Some("goods")).unwrap();
        assert_eq!(s.place.as_deref(), Some("E06000026"));
        assert_eq!(s.need, Some(NeedKind::Goods));
        let e = parse_search(&geo, Some("E06-26"), Some("kindness"), Some("cash")).unwrap_err();
        let fields: Vec<_> = e.iter().filter_map(|d| d.field.as_deref()).collect();
        assert_eq!(fields, ["place", "cause", "need"]);
    }
}
