//! NetworkPolicy coverage (KW6520–KW6522): pods no policy isolates while
//! their neighbours are, and clients a policy shuts out of the Service they
//! call. Policies are read through `crate::resolve::network_policy`.

pub mod no_network_policy;
pub mod service_isolated;
pub mod uncovered_pod;

use crate::catalog::{Catalog, TemplateEntry};
use crate::model::Object;

/// Pod-running kinds whose pods take traffic (Jobs and CronJobs run to
/// completion and rarely serve).
pub(crate) fn serving_template<'c, 'a>(
    obj: &Object,
    catalog: &'c Catalog<'a>,
) -> Option<&'c TemplateEntry<'a>> {
    if matches!(obj.kind(), "Job" | "CronJob") {
        return None;
    }
    catalog.template_of(obj)
}
