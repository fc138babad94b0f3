//! Column helpers shared by the frame builders: Rust values to polars columns and back.

use chrono::NaiveDate;
use polars::prelude::*;

pub(crate) const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("1970-01-01 is a date");

pub(crate) fn days(date: Option<NaiveDate>) -> Option<i32> {
    date.and_then(|d| i32::try_from((d - EPOCH).num_days()).ok())
}

pub(crate) fn from_days(days: i32) -> Option<NaiveDate> {
    EPOCH.checked_add_signed(chrono::Duration::days(i64::from(days)))
}

/// A text column of values that repeat all over (a few thousand titles or keywords among a million
/// rows): each distinct value is stored once and every row points at it (gathered, as `text`
/// gathers runs), rather than a copy of the value in every row. The values are the same either
/// way.
pub(crate) fn repeated_text<'a, I: IntoIterator<Item = Option<&'a str>>>(name: &str, values: I) -> Column {
    // Place 0 is the null.
    let mut distinct: Vec<Option<&str>> = vec![None];
    let mut place: foldhash::HashMap<&str, IdxSize> = foldhash::HashMap::default();
    let rows: Vec<IdxSize> = values
        .into_iter()
        .map(|v| match v {
            None => 0,
            Some(v) => *place.entry(v).or_insert_with(|| {
                distinct.push(Some(v));
                IdxSize::try_from(distinct.len() - 1).unwrap_or(IdxSize::MAX)
            }),
        })
        .collect();
    drop(place);
    gathered(name, &distinct, rows)
}

/// The column whose row `i` is `values[rows[i]]`, gathered: the rows share the values' text
/// buffers instead of copying them.
fn gathered(name: &str, values: &[Option<&str>], rows: Vec<IdxSize>) -> Column {
    let rows = IdxCa::from_vec(name.into(), rows);
    // Every index is below the number of values: `take` cannot fail here.
    match StringChunked::new(name.into(), values).take(&rows) {
        Ok(gathered) => gathered.into_series().into(),
        Err(_) => {
            let each: Vec<Option<&str>> =
                rows.into_no_null_iter().map(|i| values.get(i as usize).copied().flatten()).collect();
            Series::new(name.into(), each).into()
        }
    }
}

/// A text column. A value repeated in neighbouring rows (the digest id and file of each entry of
/// a digest, the paper of each of its keywords) is stored once and every row of the run points
/// at it: the column's rows are gathered from one row per run, and a gather shares the text
/// buffers instead of copying them. The values are the same either way.
pub(crate) fn text<'a, I: IntoIterator<Item = Option<&'a str>>>(name: &str, values: I) -> Column {
    let values: Vec<Option<&str>> = values.into_iter().collect();
    let runs = values.chunk_by(|a, b| a == b).count();
    // Rows that mostly differ are copied as they are: a gather would only add a pass.
    if runs * 2 > values.len() {
        return Series::new(name.into(), values).into();
    }
    let mut firsts = Vec::with_capacity(runs);
    let mut run_of = Vec::with_capacity(values.len());
    for run in values.chunk_by(|a, b| a == b) {
        let at = firsts.len() as IdxSize;
        firsts.push(run[0]);
        run_of.extend(std::iter::repeat_n(at, run.len()));
    }
    gathered(name, &firsts, run_of)
}

pub(crate) fn uint(name: &str, values: impl IntoIterator<Item = Option<u32>>) -> Column {
    Series::new(name.into(), values.into_iter().collect::<Vec<_>>()).into()
}

pub(crate) fn flag(name: &str, values: impl IntoIterator<Item = Option<bool>>) -> Column {
    Series::new(name.into(), values.into_iter().collect::<Vec<_>>()).into()
}

pub(crate) fn date(name: &str, values: impl IntoIterator<Item = Option<NaiveDate>>) -> PolarsResult<Column> {
    let series = Series::new(name.into(), values.into_iter().map(days).collect::<Vec<_>>());
    Ok(series.cast(&DataType::Date)?.into())
}

pub(crate) fn list<'a, S: AsRef<str> + 'a>(name: &str, values: impl IntoIterator<Item = &'a [S]>) -> Column {
    list_of(name, values.into_iter().map(|v| v.iter().map(AsRef::as_ref)))
}

/// A list-of-text column from each row's texts.
pub(crate) fn list_of<'a, L: IntoIterator<Item = &'a str>>(name: &str, values: impl IntoIterator<Item = L>) -> Column {
    let values = values.into_iter();
    let mut builder = ListStringChunkedBuilder::new(name.into(), values.size_hint().0, 0);
    for v in values {
        builder.append_values_iter(v.into_iter());
    }
    builder.finish().into_series().into()
}

pub(crate) fn frame(columns: Vec<Column>) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(columns)
}

pub(crate) fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(name)?.str()?.iter().map(|v| v.map(str::to_owned)).collect())
}

/// The values of a text column, borrowed from the frame (no copy of the texts).
pub(crate) fn strs<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
    Ok(df.column(name)?.str()?.iter().collect())
}

/// A text column borrowed a chunk at a time: any row's text, without a vector of every row's (16
/// bytes a row, 60 MB for each text column of the 2 GB real archive's entries).
#[derive(Debug, Default)]
pub(crate) struct TextColumn<'a> {
    chunks: Vec<&'a <StringType as PolarsDataType>::Array>,
    /// The first row of each chunk.
    starts: Vec<usize>,
    len: usize,
}

impl<'a> TextColumn<'a> {
    pub(crate) fn of(df: &'a DataFrame, name: &str) -> PolarsResult<TextColumn<'a>> {
        let mut out = TextColumn::default();
        for array in df.column(name)?.str()?.downcast_iter() {
            out.starts.push(out.len);
            out.len += array.len();
            out.chunks.push(array);
        }
        Ok(out)
    }

    /// Row `i`'s text (`None` for a null or a row out of range).
    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        if i >= self.len {
            return None;
        }
        let chunk = self.starts.partition_point(|&s| s <= i).checked_sub(1)?;
        let (array, j) = (self.chunks.get(chunk)?, i - self.starts.get(chunk)?);
        array.get(j)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Every row's text in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Option<&'a str>> + '_ {
        self.chunks.iter().flat_map(|a| a.iter())
    }
}

/// Every row's texts of a list-of-text column, copied (`TextLists` borrows them instead).
pub(crate) fn lists(df: &DataFrame, name: &str) -> PolarsResult<Vec<Vec<String>>> {
    let lists = TextLists::of(df, name)?;
    let texts = FlatTexts::of(&lists)?;
    Ok((0..lists.rows.len()).map(|i| texts.row(i).iter().map(|t| (*t).to_owned()).collect()).collect())
}

/// A list-of-text column whose values are read without copying a text: rows borrow from the
/// column's value arrays, which this holds (a handle on the same buffers, not a copy).
#[derive(Debug)]
pub(crate) struct TextLists {
    /// Per chunk of the column, its values as one text column.
    values: Vec<Series>,
    /// Per row: its chunk and the range of its values there (empty for a null list); 32-bit
    /// numbers, as a million rows of three list columns are held while deriving.
    rows: Vec<(u32, u32, u32)>,
}

impl TextLists {
    pub(crate) fn of(df: &DataFrame, name: &str) -> PolarsResult<TextLists> {
        let list = df.column(name)?.list()?;
        let mut values = Vec::new();
        let mut rows = Vec::with_capacity(list.len());
        for (chunk, array) in list.downcast_iter().enumerate() {
            values.push(Series::from_arrow(name.into(), array.values().clone())?);
            let offsets = array.offsets().as_slice();
            let at = |i: usize| offsets.get(i).and_then(|&o| u32::try_from(o).ok());
            let chunk = u32::try_from(chunk).map_err(|_| polars_err!(ComputeError: "{name}: too many chunks"))?;
            for i in 0..array.len() {
                let valid = array.validity().is_none_or(|v| v.get_bit(i));
                let row = match (valid, at(i), at(i + 1)) {
                    (true, Some(start), Some(end)) => (chunk, start, end),
                    (false, _, _) => (chunk, 0, 0),
                    _ => polars_bail!(ComputeError: "{name}: a list chunk of over 4 billion values"),
                };
                rows.push(row);
            }
        }
        Ok(TextLists { values, rows })
    }

    /// One row's texts, null values left out (an empty list for a row out of range).
    pub(crate) fn row(&self, i: usize) -> PolarsResult<Vec<&str>> {
        let Some(&(chunk, start, end)) = self.rows.get(i) else { return Ok(Vec::new()) };
        let Some(values) = self.values.get(chunk as usize) else { return Ok(Vec::new()) };
        let values = values.str()?;
        Ok((start as usize..end as usize).filter_map(|j| values.get(j)).collect())
    }
}

/// Every row's texts of a list-of-text column in one array, borrowed from the column (null values
/// left out): a row is a slice of it, so a million rows are not a million vectors.
#[derive(Debug, Default)]
pub(crate) struct FlatTexts<'a> {
    values: Vec<&'a str>,
    /// Where each row's values start in `values`, and where the last row's end.
    bounds: Vec<u32>,
}

impl<'a> FlatTexts<'a> {
    pub(crate) fn of(lists: &'a TextLists) -> PolarsResult<FlatTexts<'a>> {
        let chunks: Vec<Vec<Option<&str>>> =
            lists.values.iter().map(|v| Ok(v.str()?.iter().collect())).collect::<PolarsResult<_>>()?;
        let mut values = Vec::new();
        let mut bounds = Vec::with_capacity(lists.rows.len() + 1);
        bounds.push(0);
        for &(chunk, start, end) in &lists.rows {
            if let Some(row) = chunks.get(chunk as usize).and_then(|c| c.get(start as usize..end as usize)) {
                values.extend(row.iter().flatten());
            }
            let bound = u32::try_from(values.len()).map_err(|_| polars_err!(ComputeError: "over 4 billion texts"))?;
            bounds.push(bound);
        }
        Ok(FlatTexts { values, bounds })
    }

    /// Row `i`'s texts (none for a row out of range).
    pub(crate) fn row(&self, i: usize) -> &[&'a str] {
        match (self.bounds.get(i), self.bounds.get(i + 1)) {
            (Some(&start), Some(&end)) => self.values.get(start as usize..end as usize).unwrap_or_default(),
            _ => &[],
        }
    }
}

pub(crate) fn dates(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<NaiveDate>>> {
    let physical = df.column(name)?.cast(&DataType::Int32)?;
    Ok(physical.i32()?.iter().map(|d| d.and_then(from_days)).collect())
}

pub(crate) fn float(name: &str, values: impl IntoIterator<Item = Option<f64>>) -> Column {
    Series::new(name.into(), values.into_iter().collect::<Vec<_>>()).into()
}

pub(crate) fn uints(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<u32>>> {
    let c = df.column(name)?.cast(&DataType::UInt32)?;
    Ok(c.u32()?.iter().collect())
}

/// The places of `group`'s numbers (read twice) in the order of a stable sort by them (each below
/// `groups`), and where each group starts in that order (`groups + 1` bounds): a counting sort,
/// for millions of rows grouped by paper, digest or entry without comparing their texts. Places
/// and bounds are 4-byte numbers (the callers number their rows with `u32`; at the peak of an
/// ingest, 8-byte ones were tens of MB more); a group number not below `groups` is left out.
pub(crate) fn counting_order(group: impl Iterator<Item = u32> + Clone, groups: usize) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; groups + 1];
    for g in group.clone().filter(|&g| (g as usize) < groups) {
        start[g as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut next = start.clone();
    let mut order = vec![0u32; start.last().map_or(0, |&n| n as usize)];
    for (i, g) in group.enumerate().filter(|&(_, g)| (g as usize) < groups) {
        order[next[g as usize] as usize] = u32::try_from(i).unwrap_or(u32::MAX);
        next[g as usize] += 1;
    }
    (order, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_of_repeated_texts_holds_every_row_as_written() {
        let long = "a title longer than twelve bytes";
        let values = [Some(long), None, Some("rl"), Some(long), Some(""), None, Some("rl"), Some(long)];
        for values in [&values[..], &[], &[None, None]] {
            let column = repeated_text("t", values.iter().copied());
            let got: Vec<Option<&str>> =
                column.str().map(|c| c.iter().collect()).unwrap_or_else(|_| unreachable!("a text column"));
            assert_eq!(got, values);
            assert_eq!(column.name().as_str(), "t");
        }
    }

    #[test]
    fn a_text_column_read_a_chunk_at_a_time_gives_every_row_as_the_column_does() {
        let part = |texts: &[Option<&str>]| frame(vec![text("t", texts.iter().copied())]).unwrap_or_default();
        let mut df = part(&[Some("a"), None, Some("a text longer than twelve bytes")]);
        for more in [&[][..], &[Some("b")], &[None, Some("c"), Some("a")]] {
            df.vstack_mut(&part(more)).unwrap_or_else(|_| unreachable!("same columns"));
        }
        assert!(df.column("t").map(|c| c.n_chunks()).unwrap_or(0) >= 3, "several chunks");
        let column = TextColumn::of(&df, "t").unwrap_or_default();
        let want = strs(&df, "t").unwrap_or_default();
        let got: Vec<Option<&str>> = (0..column.len()).map(|i| column.get(i)).collect();
        assert_eq!((got.len(), &got), (7, &want));
        assert_eq!(column.iter().collect::<Vec<_>>(), want);
        assert_eq!(column.get(7), None, "past the end");
        assert!(TextColumn::of(&df, "missing").is_err());
    }

    #[test]
    fn a_text_repeated_in_neighbouring_rows_is_stored_once_with_the_same_values() {
        let long = |i: usize| format!("digests/2025/10/{i:02}/a-digest-file-with-a-long-name.md");
        let names: Vec<String> = (0..4).map(long).collect();
        // Four digests of 500 entries, a null run and a value that comes back after others.
        let mut values: Vec<Option<&str>> = Vec::new();
        for name in &names {
            values.extend(std::iter::repeat_n(Some(name.as_str()), 500));
        }
        values.extend([None, None, Some(names[0].as_str())]);
        let shared = text("file", values.iter().copied());
        let copied: Column = Series::new("file".into(), values.clone()).into();
        assert!(shared.as_materialized_series().equals_missing(copied.as_materialized_series()));
        assert_eq!(shared.null_count(), 2);
        let got: Vec<Option<&str>> = shared.str().map(|s| s.iter().collect()).unwrap_or_default();
        assert_eq!(got, values);
        // 2,001 texts of 53 bytes: copied, over 100 kB of text buffers; shared, five texts.
        let buffers =
            |c: &Column| c.str().map_or(0, |s| s.downcast_iter().map(|a| a.total_buffer_len()).sum::<usize>());
        let (shared_size, copied_size) = (buffers(&shared), buffers(&copied));
        assert!(shared_size < 1000 && copied_size > 100_000, "{shared_size} vs {copied_size}");
        // Texts that mostly differ, and no rows at all.
        let distinct: Vec<Option<&str>> = names.iter().map(|n| Some(n.as_str())).collect();
        let got = text("file", distinct.iter().copied());
        assert_eq!(got.str().map(|s| s.iter().collect::<Vec<_>>()).unwrap_or_default(), distinct);
        assert_eq!(text("file", std::iter::empty()).len(), 0);
    }
}
