//! Tables sorted by their keys (`schema::sort_keys`) as polars' stable multi-column sort orders
//! them (ascending, nulls first, texts by their bytes), with less memory: polars encodes every
//! key of every row into a row format and builds the whole sorted copy while the input lives,
//! which for the 1.8 million entries of a 1 GB archive took 1 GB more than the 500 MB of columns
//! sorted. Here the keys are compared where they lie, the row numbers are sorted (a stable merge
//! sort on every core: the sorted runs an ingest stacks cost it little; 1.8 million entries in
//! 20 ms), and the columns are gathered one at a time, each freed once its copy is made.

use std::cmp::Ordering;

use polars::prelude::*;
use rayon::prelude::*;

/// A sort key column, borrowed from its frame: whole numbers (dates, positions, lines) or texts.
#[derive(Debug)]
pub(crate) enum KeyColumn<'a> {
    Number(Vec<Option<i64>>),
    Text(Vec<Option<&'a str>>),
}

impl KeyColumn<'_> {
    fn compare(&self, i: usize, other: &KeyColumn, j: usize) -> Ordering {
        match (self, other) {
            (KeyColumn::Number(a), KeyColumn::Number(b)) => a.get(i).cmp(&b.get(j)),
            (KeyColumn::Text(a), KeyColumn::Text(b)) => a.get(i).cmp(&b.get(j)),
            // Columns of one table have one type; were they not, nothing is taken as ordered.
            _ => Ordering::Greater,
        }
    }
}

/// The key columns of `df`; `None` when one is missing or of a type whose order is not that of
/// its whole numbers or bytes (floats, unsigned 64-bit numbers, lists).
pub(crate) fn key_columns<'a>(df: &'a DataFrame, keys: &[&str]) -> Option<Vec<KeyColumn<'a>>> {
    keys.iter()
        .map(|k| {
            let c = df.column(k).ok()?;
            match c.dtype() {
                DataType::String => Some(KeyColumn::Text(c.str().ok()?.iter().collect())),
                DataType::Date
                | DataType::Boolean
                | DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::UInt8
                | DataType::UInt16
                | DataType::UInt32 => {
                    Some(KeyColumn::Number(c.cast(&DataType::Int64).ok()?.i64().ok()?.iter().collect()))
                }
                _ => None,
            }
        })
        .collect()
}

/// Row `i` of `a` against row `j` of `b` (the key columns of two frames of one table).
pub(crate) fn compare_rows(a: &[KeyColumn], i: usize, b: &[KeyColumn], j: usize) -> Ordering {
    a.iter().zip(b).map(|(x, y)| x.compare(i, y, j)).find(|o| o.is_ne()).unwrap_or(Ordering::Equal)
}

/// `df` sorted by `keys`, stably: equal rows keep their order.
pub(crate) fn sort_by_keys(df: DataFrame, keys: &[&str]) -> PolarsResult<DataFrame> {
    let order = {
        let Some(columns) = key_columns(&df, keys) else {
            return df.sort(keys.iter().copied(), SortMultipleOptions::default().with_maintain_order(true));
        };
        let mut order: Vec<IdxSize> = (0..df.height()).map(|i| i as IdxSize).collect();
        if order.is_sorted_by(|&i, &j| compare_rows(&columns, i as usize, &columns, j as usize).is_le()) {
            return Ok(df);
        }
        order.par_sort_by(|&i, &j| compare_rows(&columns, i as usize, &columns, j as usize));
        IdxCa::from_vec("order".into(), order)
    };
    let height = df.height();
    // One column at a time, each input column freed as soon as its sorted copy exists: on every
    // core, two copies were in the making at once (240 MB more at the peak of a fresh ingest of
    // a 1 GB archive, for 0.7 s less).
    let sorted: Vec<Column> = df.into_columns().into_iter().map(|c| c.take(&order)).collect::<PolarsResult<_>>()?;
    DataFrame::new(height, sorted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> DataFrame {
        let dates = Column::new("d".into(), [Some(3i32), None, Some(1), Some(3), None, Some(1)])
            .cast(&DataType::Date)
            .unwrap_or_else(|_| Column::new_empty("d".into(), &DataType::Date));
        let files = Column::new("f".into(), [Some("b"), Some("z"), None, Some("a"), Some("é"), Some("e")]);
        let positions = Column::new("p".into(), [2u32, 1, 5, 9, 1, 0]);
        let payload = Column::new("x".into(), ["r0", "r1", "r2", "r3", "r4", "r5"]);
        DataFrame::new(6, vec![dates, files, positions, payload]).unwrap_or_default()
    }

    #[test]
    fn sorts_as_polars_stable_multi_column_sort_does() {
        let keys = ["d", "f", "p"];
        let want = frame().sort(keys, SortMultipleOptions::default().with_maintain_order(true)).unwrap_or_default();
        let got = sort_by_keys(frame(), &keys).unwrap_or_default();
        assert_eq!(got.height(), 6);
        assert!(got.equals_missing(&want), "{got}\n{want}");
        // Ties keep their order; a sorted frame comes back as it was.
        let ties = sort_by_keys(frame(), &["d"]).unwrap_or_default();
        let x: Vec<Option<&str>> =
            ties.column("x").and_then(|c| c.str()).map(|c| c.iter().collect()).unwrap_or_default();
        assert_eq!(x, [Some("r1"), Some("r4"), Some("r2"), Some("r5"), Some("r0"), Some("r3")]);
        let again = sort_by_keys(got.clone(), &keys).unwrap_or_default();
        assert!(again.equals_missing(&got));
    }

    #[test]
    fn keys_of_other_types_are_left_to_polars() {
        let df = DataFrame::new(
            3,
            vec![Column::new("v".into(), [2.5f64, f64::NAN, -1.0]), Column::new("x".into(), ["a", "b", "c"])],
        )
        .unwrap_or_default();
        assert!(key_columns(&df, &["v"]).is_none());
        assert!(key_columns(&df, &["missing"]).is_none());
        let want = df.sort(["v"], SortMultipleOptions::default().with_maintain_order(true)).unwrap_or_default();
        let got = sort_by_keys(df, &["v"]).unwrap_or_default();
        assert!(got.equals_missing(&want));
    }
}
