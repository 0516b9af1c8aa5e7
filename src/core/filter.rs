//! Filters: CPython's `Filter` (logger-name prefix), plain closures, filters that return a
//! replacement record (3.12), and `Filterer`, the list a logger or handler keeps.
//!
//! Filters compose: [`all_of`], [`any_of`] and [`not`] build one filter from others, and
//! evaluation stops at the first that decides (cheapest first is the caller's choice).

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use super::handler::{contain_panic, report_error};
use super::record::LogRecord;
use super::value::Text;

/// What a filter decided about a record.
#[derive(Debug)]
pub enum FilterResult {
    /// Drop the record.
    Reject,
    /// Keep the record (possibly modified in place).
    Accept,
    /// Keep a replacement record instead: later filters and the handler (or, on a logger, the
    /// rest of the chain) see the replacement; the original is untouched (Python 3.12's
    /// "filter returns a LogRecord").
    Replace(Box<LogRecord>),
}

impl From<bool> for FilterResult {
    fn from(keep: bool) -> Self {
        if keep {
            FilterResult::Accept
        } else {
            FilterResult::Reject
        }
    }
}

/// A filter, attached to a logger or a handler.
pub trait Filter {
    /// Decides about `record`, which it may modify in place (add attributes, rewrite the
    /// message) as CPython's filters may.
    fn filter(&self, record: &mut LogRecord) -> FilterResult;
}

/// `logging.Filter(name)`: passes records from the logger `name` and its descendants; an
/// empty name passes everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameFilter {
    name: Text,
}

impl NameFilter {
    /// A filter for `name` and its descendants.
    pub fn new(name: impl Into<Text>) -> Self {
        NameFilter { name: name.into() }
    }

    /// The logger name this filter passes.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The decision, as a boolean.
    pub fn passes(&self, logger_name: &str) -> bool {
        let name = self.name.as_str();
        if name.is_empty() || name == logger_name {
            return true;
        }
        logger_name.starts_with(name) && logger_name.as_bytes().get(name.len()) == Some(&b'.')
    }
}

impl Filter for NameFilter {
    fn filter(&self, record: &mut LogRecord) -> FilterResult {
        self.passes(&record.name).into()
    }
}

/// A filter from a closure returning a [`FilterResult`] (or anything convertible, such as a
/// `bool`): CPython accepts any callable as a filter.
pub struct FnFilter<F>(pub F);

impl<F> fmt::Debug for FnFilter<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnFilter")
    }
}

impl<F, R> Filter for FnFilter<F>
where
    F: Fn(&mut LogRecord) -> R,
    R: Into<FilterResult>,
{
    fn filter(&self, record: &mut LogRecord) -> FilterResult {
        (self.0)(record).into()
    }
}

/// A shareable filter from a closure: `filter_fn(|r| r.levelno <= logging::WARNING)`.
pub fn filter_fn<F, R>(f: F) -> Rc<dyn Filter>
where
    F: Fn(&mut LogRecord) -> R + 'static,
    R: Into<FilterResult> + 'static,
{
    Rc::new(FnFilter(f))
}

/// Passes a record only if every filter passes it (stops at the first rejection).
pub fn all_of(filters: Vec<Rc<dyn Filter>>) -> Rc<dyn Filter> {
    filter_fn(move |record: &mut LogRecord| {
        let mut replaced: Option<Box<LogRecord>> = None;
        for f in &filters {
            let target = match replaced.as_deref_mut() {
                Some(r) => r,
                None => &mut *record,
            };
            match f.filter(target) {
                FilterResult::Reject => return FilterResult::Reject,
                FilterResult::Accept => {}
                FilterResult::Replace(r) => replaced = Some(r),
            }
        }
        replaced.map_or(FilterResult::Accept, FilterResult::Replace)
    })
}

/// Passes a record if any filter passes it (stops at the first acceptance).
pub fn any_of(filters: Vec<Rc<dyn Filter>>) -> Rc<dyn Filter> {
    filter_fn(move |record: &mut LogRecord| {
        for f in &filters {
            match f.filter(record) {
                FilterResult::Reject => {}
                decided => return decided,
            }
        }
        FilterResult::Reject
    })
}

/// Inverts a filter (a replacement record counts as "passed", so it becomes a rejection).
pub fn not(filter: Rc<dyn Filter>) -> Rc<dyn Filter> {
    filter_fn(move |record: &mut LogRecord| match filter.filter(record) {
        FilterResult::Reject => FilterResult::Accept,
        _ => FilterResult::Reject,
    })
}

/// The outcome of running a [`Filterer`]'s filters.
#[derive(Debug)]
pub enum Filtered {
    /// Some filter rejected the record.
    Rejected,
    /// All passed; the record (possibly modified in place) goes on.
    Passed,
    /// All passed and the last replacement should be used instead of the original.
    Replaced(Box<LogRecord>),
}

/// CPython's `Filterer`: the filters of a logger or handler.
#[derive(Default)]
pub struct Filterer {
    filters: RefCell<Vec<Rc<dyn Filter>>>,
}

impl fmt::Debug for Filterer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Filterer({} filters)", self.filters.borrow().len())
    }
}

impl Filterer {
    /// `addFilter`: adds `filter` unless this very filter is already present.
    pub fn add_filter(&self, filter: Rc<dyn Filter>) {
        let mut filters = self.filters.borrow_mut();
        if !filters.iter().any(|f| Rc::ptr_eq(f, &filter)) {
            filters.push(filter);
        }
    }

    /// `removeFilter`: removes this very filter if present.
    pub fn remove_filter(&self, filter: &Rc<dyn Filter>) {
        self.filters.borrow_mut().retain(|f| !Rc::ptr_eq(f, filter));
    }

    /// The filters, in order.
    pub fn filters(&self) -> Vec<Rc<dyn Filter>> {
        self.filters.borrow().clone()
    }

    /// Whether there are no filters (the common case, checked before anything else).
    pub fn is_empty(&self) -> bool {
        self.filters.borrow().is_empty()
    }

    /// `Filterer.filter`: runs the filters in order; each sees the replacement of the one
    /// before it.
    pub fn apply(&self, record: &mut LogRecord) -> Filtered {
        let mut replaced: Option<Box<LogRecord>> = None;
        let mut i = 0;
        // Index and clone each filter instead of borrowing the list across the call: a filter
        // may add or remove filters (or log) while it runs.
        loop {
            let Some(f) = self.filters.borrow().get(i).cloned() else {
                break;
            };
            i += 1;
            let target = match replaced.as_deref_mut() {
                Some(r) => r,
                None => &mut *record,
            };
            // A filter that panics (a user's closure) is reported like a handler error and
            // counts as passing: the record is not lost, and the panic never reaches the
            // log call.
            let decided = contain_panic("filter", || Ok(f.filter(&mut *target)));
            match decided {
                Ok(FilterResult::Reject) => return Filtered::Rejected,
                Ok(FilterResult::Accept) => {}
                Ok(FilterResult::Replace(r)) => replaced = Some(r),
                Err(e) => report_error(Some(target), &e),
            }
        }
        replaced.map_or(Filtered::Passed, Filtered::Replaced)
    }
}
