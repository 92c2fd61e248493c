//! `staff --by-interval --grid`: the hourly requirement as a 24 × 7 grid a planner pastes into
//! a spreadsheet — rows the hours of the day, columns Monday to Sunday — with the rota's
//! supply and the gap beside it.

use std::fmt::Write;

use super::csv_text::finish;
use crate::planning::interval_staffing::IntervalStaffing;

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The three grids, each `[hour of day][day of week]`: handlers needed (ISA), the rota's mean
/// on duty, and the gap (rota − needed; negative where the rota is short).
pub fn grids(r: &IntervalStaffing) -> [(&'static str, Vec<[f64; 7]>); 3] {
    let grid = |f: &dyn Fn(usize) -> f64| -> Vec<[f64; 7]> {
        (0..24)
            .map(|hour| std::array::from_fn(|day| f(day * 24 + hour)))
            .collect()
    };
    [
        ("needed", grid(&|h| f64::from(r.isa[h]))),
        ("rota", grid(&|h| r.rota[h])),
        ("gap", grid(&|h| r.rota[h] - f64::from(r.isa[h]))),
    ]
}

/// The grids as CSV: `measure,hour,Mon,…,Sun`, 24 rows per measure.
pub fn interval_grid_csv(r: &IntervalStaffing) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["measure".to_owned(), "hour".to_owned()];
    header.extend(DAYS.map(String::from));
    w.write_record(&header)?;
    for (measure, rows) in grids(r) {
        for (hour, row) in rows.iter().enumerate() {
            let mut record = vec![measure.to_owned(), format!("{hour:02}:00")];
            record.extend(row.iter().map(|v| {
                if measure == "needed" {
                    format!("{v:.0}")
                } else {
                    format!("{v:.2}")
                }
            }));
            w.write_record(&record)?;
        }
    }
    finish(w)
}

/// The grids as text: needed, then the gap, each 24 rows by 7 days.
pub fn interval_grid_table(name: &str, r: &IntervalStaffing) -> String {
    let mut out = format!(
        "{name} — handlers on duty needed by hour and day for P(wait) ≤ {:.0}% (iterative staffing algorithm{})\n",
        r.alpha * 100.0,
        if r.converged { "" } else { ", NOT converged" }
    );
    let [needed, _, gap] = grids(r);
    for ((title, rows), decimals) in [
        (("handlers needed", needed.1), 0),
        (("rota − needed (negative: short)", gap.1), 1),
    ] {
        let _ = write!(out, "\n{title}\n{:<6}", "hour");
        for day in DAYS {
            let _ = write!(out, " {day:>6}");
        }
        out.push('\n');
        for (hour, row) in rows.iter().enumerate() {
            let _ = write!(out, "{:<6}", format!("{hour:02}:00"));
            for v in row {
                let _ = write!(out, " {v:>6.decimals$}");
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_holds_each_of_the_168_hours_once() {
        let r = IntervalStaffing {
            alpha: 0.1,
            iterations: 1,
            converged: true,
            labels: (0..168).map(|h| format!("h{h}")).collect(),
            offered_erlangs: vec![0.0; 168],
            isa: (0..168).collect(),
            stationary: vec![0; 168],
            p_wait_isa: vec![0.0; 168],
            rota: (0..168).map(|h| f64::from(h) + 0.5).collect(),
        };
        let [needed, rota, gap] = grids(&r);
        // Monday 00:00 is hour 0, Tuesday 05:00 is hour 29, Sunday 23:00 is hour 167.
        assert_eq!(
            (needed.1[0][0], needed.1[5][1], needed.1[23][6]),
            (0.0, 29.0, 167.0)
        );
        let sum = |g: &Vec<[f64; 7]>| g.iter().flatten().sum::<f64>();
        assert_eq!(sum(&needed.1), (0..168).sum::<u32>() as f64);
        assert_eq!(sum(&rota.1), sum(&needed.1) + 84.0);
        assert!(gap.1.iter().flatten().all(|g| (*g - 0.5).abs() < 1e-12));
        let csv = interval_grid_csv(&r).unwrap();
        assert_eq!(csv.lines().count(), 1 + 3 * 24);
        assert!(csv.starts_with("measure,hour,Mon,Tue,Wed,Thu,Fri,Sat,Sun\nneeded,00:00,0,24,48,"));
    }
}
