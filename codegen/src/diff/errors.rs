//! Comparing an endpoint's error-code tables: codes matched by number.

use super::compare::Walk;
use super::{ChangeKind, Level, WireEffect};
use crate::model::ErrorKindName;
use crate::resolved::{Endpoint, ErrorTable};

impl Walk {
    /// An endpoint's error codes on both sides.
    pub(super) fn error_tables(
        &mut self,
        o: Option<&ErrorTable>,
        n: Option<&ErrorTable>,
        oe: &Endpoint,
        ne: &Endpoint,
    ) {
        let (o, n) = match (o, n) {
            (None, None) => return,
            (None, Some(t)) => {
                self.add(
                    ChangeKind::ErrorTableAdded,
                    self.type_path(&t.rust),
                    format!(
                        "{} codes; the client method's error type becomes `Error<{}>`",
                        t.codes.len(),
                        t.rust
                    ),
                    (Some(&oe.at), t.codes.first().map(|c| &c.at)),
                    Level::Major,
                    Vec::new(),
                );
                return;
            }
            (Some(t), None) => {
                self.add(
                    ChangeKind::ErrorTableRemoved,
                    self.type_path(&t.rust),
                    format!(
                        "{} codes; the client method's error type becomes `Error<UndocumentedCode>`",
                        t.codes.len()
                    ),
                    (t.codes.first().map(|c| &c.at), Some(&ne.at)),
                    Level::Major,
                    vec![WireEffect::ResponsesReadDifferently],
                );
                return;
            }
            (Some(o), Some(n)) => (o, n),
        };
        let base = self.type_path(&n.rust);
        if o.rust != n.rust {
            self.add(
                ChangeKind::TypeRenamed,
                base.clone(),
                format!("error-code type {} -> {}", o.rust, n.rust),
                (Some(&oe.at), Some(&ne.at)),
                Level::Major,
                Vec::new(),
            );
        }
        for oc in &o.codes {
            let Some(nc) = n.codes.iter().find(|nc| nc.code == oc.code) else {
                self.add(
                    ChangeKind::ErrorCodeRemoved,
                    format!("{base}::{}", oc.variant),
                    format!("code {}; it now reads as `Unknown`", oc.code),
                    (Some(&oc.at), Some(&ne.at)),
                    Level::Major,
                    vec![WireEffect::ResponsesReadDifferently],
                );
                continue;
            };
            let locs = (Some(&oc.at), Some(&nc.at));
            if oc.variant != nc.variant {
                self.add(
                    ChangeKind::ErrorCodeRenamed,
                    format!("{base}::{}", nc.variant),
                    format!("code {}: {} -> {}", oc.code, oc.variant, nc.variant),
                    locs,
                    Level::Major,
                    Vec::new(),
                );
            }
            if oc.kind != nc.kind {
                self.add(
                    ChangeKind::ErrorKindChanged,
                    format!("{base}::{}", nc.variant),
                    format!(
                        "code {}: {} -> {}",
                        oc.code,
                        kind_name(oc.kind),
                        kind_name(nc.kind)
                    ),
                    locs,
                    Level::Patch,
                    vec![WireEffect::ResponsesReadDifferently],
                );
            }
        }
        for nc in &n.codes {
            if !o.codes.iter().any(|oc| oc.code == nc.code) {
                self.add(
                    ChangeKind::ErrorCodeAdded,
                    format!("{base}::{}", nc.variant),
                    format!(
                        "code {} ({}); the table is #[non_exhaustive]",
                        nc.code,
                        kind_name(nc.kind)
                    ),
                    (Some(&oe.at), Some(&nc.at)),
                    Level::Minor,
                    Vec::new(),
                );
            }
        }
    }
}

fn kind_name(k: ErrorKindName) -> &'static str {
    use ErrorKindName as K;
    match k {
        K::Success => "success",
        K::Failure => "failure",
        K::Retryable => "retryable",
        K::PartialSuccess => "partial_success",
    }
}
