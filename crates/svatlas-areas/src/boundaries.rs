//! Area shapes for maps: the simplified boundary layers in `data/boundaries/simplified/`
//! (built by `tools/simplify-boundaries.sh`: British National Grid, whole metres, `code` and
//! `name` properties), held per [`AreaType`] with an index by code.
//!
//! Parsed with serde_json into typed structs rather than through the `geojson` crate: the files
//! are our own output with one known shape (Polygon/MultiPolygon features with two properties),
//! and typed parsing goes straight to integer coordinates without building a generic value tree
//! for 35,000 features.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use serde::Deserialize;

use crate::geography::AreaType;

/// Folder of the simplified layers inside the data directory.
pub const SIMPLIFIED_DIR: &str = "boundaries/simplified";

/// Layer files and the area type each holds.
pub const LAYER_FILES: [(AreaType, &str); 7] = [
    (AreaType::Lsoa11, "lsoa11.geojson.gz"),
    (AreaType::Lsoa21, "lsoa21.geojson.gz"),
    (AreaType::Dz11, "dz11.geojson.gz"),
    (AreaType::Soa01, "soa01.geojson.gz"),
    (AreaType::Lad19, "lad19.geojson.gz"),
    (AreaType::Lad24, "lad24.geojson.gz"),
    (AreaType::Region, "region.geojson.gz"),
];

/// A point in British National Grid metres (easting, northing).
pub type Point = [i32; 2];

/// A closed ring (first point repeated last, as in GeoJSON).
pub type Ring = Vec<Point>;

/// One polygon: outer ring first, then holes.
pub type Polygon = Vec<Ring>;

/// Bounding box `[min_x, min_y, max_x, max_y]` in metres.
pub type BBox = [i32; 4];

/// The shape of one area.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Area code.
    pub code: String,
    /// Area name as in the boundary file.
    pub name: String,
    /// Polygons (one for most areas; islands add more).
    pub polygons: Vec<Polygon>,
    /// Bounding box of every ring.
    pub bbox: BBox,
}

/// Every shape of one area type.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    shapes: Vec<Shape>,
    by_code: HashMap<String, usize>,
}

impl Layer {
    /// Shapes in file order.
    pub fn shapes(&self) -> &[Shape] {
        &self.shapes
    }

    /// The shape of one area.
    pub fn get(&self, code: &str) -> Option<&Shape> {
        self.by_code.get(code).map(|&i| &self.shapes[i])
    }

    /// Position of an area's shape in [`Layer::shapes`].
    pub fn position(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// Number of shapes.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// True if the layer has no shapes.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }
}

/// Every loaded layer.
#[derive(Debug, Clone, Default)]
pub struct Boundaries {
    layers: HashMap<AreaType, Layer>,
}

/// Why a layer could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum BoundaryError {
    /// The file could not be opened or read (or is not valid gzip).
    #[error("reading {file}: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a GeoJSON FeatureCollection of the expected shape.
    #[error("parsing {file}: {source}")]
    Parse {
        /// The file.
        file: PathBuf,
        /// The cause, with line and column.
        #[source]
        source: serde_json::Error,
    },
    /// One feature is unusable (no geometry, empty ring, coordinates off the grid, repeated code).
    #[error("{file}: feature {index} ({code}): {message}")]
    Feature {
        /// The file.
        file: PathBuf,
        /// Position of the feature in the file.
        index: usize,
        /// Its code property.
        code: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
struct FeatureCollection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Option<Geometry>,
}

#[derive(Deserialize)]
struct Properties {
    code: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum Geometry {
    Polygon {
        coordinates: Vec<Vec<[f64; 2]>>,
    },
    MultiPolygon {
        coordinates: Vec<Vec<Vec<[f64; 2]>>>,
    },
}

impl Boundaries {
    /// Loads every layer of [`LAYER_FILES`] from `dir` (normally `data/boundaries/simplified`).
    pub fn load(dir: &Path) -> Result<Boundaries, BoundaryError> {
        let mut boundaries = Boundaries::default();
        for (area_type, name) in LAYER_FILES {
            let layer = load_layer(&dir.join(name))?;
            boundaries.layers.insert(area_type, layer);
        }
        Ok(boundaries)
    }

    /// Loads only these layers (tests and tools that need one geography).
    pub fn load_only(dir: &Path, types: &[AreaType]) -> Result<Boundaries, BoundaryError> {
        let mut boundaries = Boundaries::default();
        for (area_type, name) in LAYER_FILES {
            if types.contains(&area_type) {
                boundaries
                    .layers
                    .insert(area_type, load_layer(&dir.join(name))?);
            }
        }
        Ok(boundaries)
    }

    /// The layer of an area type, if loaded.
    pub fn layer(&self, area_type: AreaType) -> Option<&Layer> {
        self.layers.get(&area_type)
    }

    /// The shape of one area.
    pub fn shape(&self, area_type: AreaType, code: &str) -> Option<&Shape> {
        self.layer(area_type)?.get(code)
    }

    /// Area types with a loaded layer, in hierarchy order.
    pub fn area_types(&self) -> Vec<AreaType> {
        AreaType::ALL
            .into_iter()
            .filter(|t| self.layers.contains_key(t))
            .collect()
    }
}

/// Reads one layer file (gzipped when its name ends in `.gz`).
pub fn load_layer(file: &Path) -> Result<Layer, BoundaryError> {
    let io = |source| BoundaryError::Io {
        file: file.to_path_buf(),
        source,
    };
    let reader = BufReader::new(File::open(file).map_err(io)?);
    let mut text = String::new();
    if file.extension().is_some_and(|e| e == "gz") {
        GzDecoder::new(reader).read_to_string(&mut text)
    } else {
        BufReader::new(reader).read_to_string(&mut text)
    }
    .map_err(io)?;
    let collection: FeatureCollection =
        serde_json::from_str(&text).map_err(|source| BoundaryError::Parse {
            file: file.to_path_buf(),
            source,
        })?;
    let mut layer = Layer::default();
    layer.shapes.reserve_exact(collection.features.len());
    layer.by_code.reserve(collection.features.len());
    for (index, feature) in collection.features.into_iter().enumerate() {
        let code = feature.properties.code;
        let fail = |message: String| BoundaryError::Feature {
            file: file.to_path_buf(),
            index,
            code: code.clone(),
            message,
        };
        let polygons = match feature.geometry {
            None => return Err(fail("no geometry".to_owned())),
            Some(Geometry::Polygon { coordinates }) => vec![coordinates],
            Some(Geometry::MultiPolygon { coordinates }) => coordinates,
        };
        let polygons = polygons
            .into_iter()
            .map(|rings| rings.into_iter().map(|ring| to_grid(&ring)).collect())
            .collect::<Result<Vec<Polygon>, String>>()
            .map_err(&fail)?;
        let bbox = bbox_of(&polygons).ok_or_else(|| fail("no coordinates".to_owned()))?;
        if layer.by_code.contains_key(&code) {
            return Err(fail("the code appears twice".to_owned()));
        }
        layer.by_code.insert(code.clone(), layer.shapes.len());
        layer.shapes.push(Shape {
            code,
            name: feature.properties.name,
            polygons,
            bbox,
        });
    }
    Ok(layer)
}

/// Converts a ring to whole grid metres; the files are rounded already, so anything outside
/// Great Britain's grid range means a wrong file (e.g. unprojected WGS84).
fn to_grid(ring: &[[f64; 2]]) -> Result<Ring, String> {
    if ring.len() < 4 {
        return Err(format!(
            "a ring has {} points; at least 4 needed",
            ring.len()
        ));
    }
    // Sized up front: collecting through `Result` cannot know the length, and the doubling
    // left about 40% spare capacity over the 1.28 million points of the shipped layers.
    let mut out = Vec::with_capacity(ring.len());
    for &[x, y] in ring {
        let ok = |v: f64| v.is_finite() && (-1_000_000.0..=2_000_000.0).contains(&v);
        if !(ok(x) && ok(y)) {
            return Err(format!(
                "coordinate ({x}, {y}) is not British National Grid metres"
            ));
        }
        out.push([x.round() as i32, y.round() as i32]);
    }
    Ok(out)
}

fn bbox_of(polygons: &[Polygon]) -> Option<BBox> {
    let mut points = polygons.iter().flatten().flatten();
    let first = *points.next()?;
    Some(points.fold(
        [first[0], first[1], first[0], first[1]],
        |[x0, y0, x1, y1], &[x, y]| [x0.min(x), y0.min(y), x1.max(x), y1.max(y)],
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::io::Write;
    use std::sync::OnceLock;

    use super::*;

    fn data_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
    }

    fn shipped() -> &'static Boundaries {
        static B: OnceLock<Boundaries> = OnceLock::new();
        B.get_or_init(|| {
            Boundaries::load_only(
                &data_dir().join(SIMPLIFIED_DIR),
                &[AreaType::Lsoa21, AreaType::Lad24],
            )
            .expect("shipped boundaries load")
        })
    }

    /// Codes in one column of a shipped (gzipped) CSV, filtered on another column.
    fn codes(file: &str, code_col: &str, filter: Option<(&str, &str)>) -> HashSet<String> {
        let reader: Box<dyn Read> = if file.ends_with(".gz") {
            Box::new(GzDecoder::new(File::open(data_dir().join(file)).unwrap()))
        } else {
            Box::new(File::open(data_dir().join(file)).unwrap())
        };
        let mut csv = csv::Reader::from_reader(reader);
        let headers = csv.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (c, f) = (col(code_col), filter.map(|(n, v)| (col(n), v)));
        csv.records()
            .map(Result::unwrap)
            .filter(|r| f.is_none_or(|(i, v)| &r[i] == v))
            .map(|r| r[c].to_owned())
            .collect()
    }

    #[test]
    fn every_iod2025_lsoa_of_plymouth_has_a_shape() {
        // Every LSOA the IoD2025 (File 7) ranks in Plymouth.
        let plymouth = codes(
            "iod2025_england_lsoa21/iod2025_lsoa21_combined.csv.gz",
            "LSOA code (2021)",
            Some(("Local Authority District code (2024)", "E06000026")),
        );
        assert_eq!(plymouth.len(), 164);
        let layer = shipped().layer(AreaType::Lsoa21).unwrap();
        for code in &plymouth {
            let shape = layer
                .get(code)
                .unwrap_or_else(|| panic!("{code} has no shape"));
            assert!(!shape.polygons[0][0].is_empty());
            // Plymouth lies around (248000, 56000) on the grid.
            let [x0, y0, x1, y1] = shape.bbox;
            assert!(
                x0 > 240_000 && x1 < 260_000 && y0 > 48_000 && y1 < 66_000,
                "{code}"
            );
        }
    }

    #[test]
    fn every_english_lad24_has_a_shape() {
        let lads = codes(
            "geography_lookups/lookup_ltla24_region24.csv",
            "ltla24_code",
            None,
        );
        assert_eq!(lads.len(), 296);
        let layer = shipped().layer(AreaType::Lad24).unwrap();
        for code in &lads {
            assert!(layer.get(code).is_some(), "{code} has no shape");
        }
        assert_eq!(layer.get("E06000026").unwrap().name, "Plymouth");
        assert_eq!(layer.len(), 361, "UK-wide layer");
    }

    #[test]
    fn errors_name_the_file_and_feature() {
        let dir = tempfile_dir();
        let file = dir.join("bad.geojson");
        let mut f = File::create(&file).unwrap();
        write!(
            f,
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"code":"E1","name":"A"}},"geometry":{{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}}},
            {{"type":"Feature","properties":{{"code":"E2","name":"B"}},"geometry":{{"type":"Polygon","coordinates":[[[-3.1,50.2],[1,0],[1,1],[-3.1,50.2]]]}}}}]}}"#
        )
        .unwrap();
        drop(f);
        let ok = r#"{"type":"FeatureCollection","features":[]}"#;
        assert!(load_layer(&file).is_ok_and(|l| l.len() == 2));
        std::fs::write(&file, ok.replace("[]", "[1]")).unwrap();
        let err = load_layer(&file).unwrap_err().to_string();
        assert!(
            err.starts_with("parsing ") && err.contains("bad.geojson"),
            "{err}"
        );
        std::fs::write(
            &file,
            r#"{"features":[{"properties":{"code":"E9","name":"X"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]}"#,
        )
        .unwrap();
        let err = load_layer(&file).unwrap_err().to_string();
        assert!(
            err.contains("bad.geojson: feature 0 (E9): a ring has 3 points"),
            "{err}"
        );
        let err = load_layer(&dir.join("missing.geojson.gz"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing.geojson.gz"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("svatlas-boundaries-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
