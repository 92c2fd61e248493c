//! The wide CSV (`--format wide-csv`): the long CSV of any command turned into one row per
//! thing measured and one column per KPI, for spreadsheet users.
//!
//! The rule, the same for every command: in a long CSV with a `kpi` column, the columns before
//! `kpi` and any column named `interval` say *what* a row measures (the row keys); every other
//! column is one of the KPI's values. The wide CSV has a row per distinct key, in first-seen
//! order, and a column per KPI and value: `<kpi>` for the value named `mean`, `<kpi>_<value>`
//! for the rest (`service_level_ci_low`, `service_level_target`, …). Columns that would be
//! empty on every row (a target on a KPI without one) are left out. A CSV without a `kpi`
//! column is already one row per thing and is returned as it is.

use std::collections::HashMap;

use super::csv_text::finish;

/// The wide form of the long CSV `long` (see the module documentation).
pub fn widen(long: &str) -> Result<String, csv::Error> {
    let mut reader = csv::Reader::from_reader(long.as_bytes());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    let Some(kpi_at) = header.iter().position(|h| h == "kpi") else {
        return Ok(long.to_owned());
    };
    let is_key = |i: usize| i < kpi_at || header[i] == "interval";
    let values: Vec<usize> = (0..header.len())
        .filter(|&i| i != kpi_at && !is_key(i))
        .collect();
    let keys: Vec<usize> = (0..header.len()).filter(|&i| is_key(i)).collect();

    let mut rows: Vec<Vec<String>> = Vec::new(); // the key cells of each wide row
    let mut row_of: HashMap<Vec<String>, usize> = HashMap::new();
    let mut kpis: Vec<String> = Vec::new();
    let mut kpi_of: HashMap<String, usize> = HashMap::new();
    let mut cells: HashMap<(usize, usize), Vec<String>> = HashMap::new();
    for record in reader.records() {
        let record = record?;
        let key: Vec<String> = keys.iter().map(|&i| record[i].to_owned()).collect();
        let next_row = rows.len();
        let row = *row_of.entry(key.clone()).or_insert(next_row);
        if row == next_row {
            rows.push(key);
        }
        let kpi = record[kpi_at].to_owned();
        let next_kpi = kpis.len();
        let k = *kpi_of.entry(kpi.clone()).or_insert(next_kpi);
        if k == next_kpi {
            kpis.push(kpi);
        }
        cells.insert(
            (row, k),
            values.iter().map(|&i| record[i].to_owned()).collect(),
        );
    }

    // The (KPI, value) columns with something in them.
    let columns: Vec<(usize, usize)> = (0..kpis.len())
        .flat_map(|k| (0..values.len()).map(move |v| (k, v)))
        .filter(|&(k, v)| {
            (0..rows.len()).any(|r| cells.get(&(r, k)).is_some_and(|c| !c[v].is_empty()))
        })
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut names: Vec<String> = keys.iter().map(|&i| header[i].clone()).collect();
    names.extend(
        columns
            .iter()
            .map(|&(k, v)| match header[values[v]].as_str() {
                "mean" => kpis[k].clone(),
                value => format!("{}_{value}", kpis[k]),
            }),
    );
    w.write_record(&names)?;
    for (r, key) in rows.iter().enumerate() {
        let mut line = key.clone();
        line.extend(columns.iter().map(|&(k, v)| {
            cells
                .get(&(r, k))
                .map_or_else(String::new, |c| c[v].clone())
        }));
        w.write_record(&line)?;
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::widen;

    #[test]
    fn one_row_per_key_and_a_column_per_kpi_and_value() {
        let long = "scope,channel,kpi,mean,ci_low,ci_high,interval,target,met\n\
                    channel,999,service_level,0.9,0.88,0.92,,0.9,true\n\
                    channel,999,mean_wait_s,5,4,6,,,\n\
                    month,999,service_level,0.8,0.7,0.9,2024-01,0.9,false\n\
                    run,,events,12,,,,,\n";
        let wide = widen(long).unwrap();
        let lines: Vec<&str> = wide.lines().collect();
        assert_eq!(
            lines[0],
            "scope,channel,interval,service_level,service_level_ci_low,service_level_ci_high,\
             service_level_target,service_level_met,mean_wait_s,mean_wait_s_ci_low,\
             mean_wait_s_ci_high,events"
        );
        assert_eq!(lines[1], "channel,999,,0.9,0.88,0.92,0.9,true,5,4,6,");
        assert_eq!(lines[2], "month,999,2024-01,0.8,0.7,0.9,0.9,false,,,,");
        assert_eq!(lines[3], "run,,,,,,,,,,,12");
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn a_csv_without_a_kpi_column_is_already_wide() {
        let text = "hour_of_week,handlers\n0,3\n";
        assert_eq!(widen(text).unwrap(), text);
    }
}
