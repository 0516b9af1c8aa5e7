// Filters: CPython's Filter(name), functions, objects with filter(), and the Filterer
// behaviour (filters, addFilter, removeFilter) loggers and handlers share.

import { need, raw, report } from "./state.js";

/** The raw filter for a `Filter`, a function or an object with `filter()`; else null. */
export function rawFilterOf(f) {
  if (f instanceof Filter && f.filter === Filter.prototype.filter) return f._raw;
  let r = FUNCTION_FILTERS.get(f);
  if (r === undefined) {
    if (typeof f === "function") {
      r = raw.JsFilter.function(f);
    } else if (f !== null && typeof f === "object" && typeof f.filter === "function") {
      r = raw.JsFilter.function((record) => f.filter(record));
    } else {
      return null;
    }
    FUNCTION_FILTERS.set(f, r);
  }
  return r;
}
const FUNCTION_FILTERS = new WeakMap();

/** `Filterer` behaviour shared by loggers and handlers (`filters`, add/remove). */
export function addFilterTo(owner, f) {
  const r = rawFilterOf(f);
  if (r === null) {
    report("TypeError", `addFilter: a filter is a Filter, a function or an object with filter(), not ${typeof f}`);
    return;
  }
  if (!owner.filters.includes(f)) {
    owner.filters.push(f);
    owner._raw.addFilter(r);
  }
}

export function removeFilterFrom(owner, f) {
  const i = owner.filters.indexOf(f);
  if (i < 0) return;
  owner.filters.splice(i, 1);
  const r = rawFilterOf(f);
  if (r !== null) owner._raw.removeFilter(r);
}

/** `logging.Filter(name)`: passes records of logger `name` and its descendants. */
export class Filter {
  constructor(name = "") {
    /** The logger name this filter passes. */
    this.name = String(name);
    this._raw = need().JsFilter.name(this.name);
  }

  /** `filter(record)`: whether the record's logger is `name` or below it. */
  filter(record) {
    const n = this.name;
    if (n === "" || record.name === n) return true;
    return record.name.startsWith(n) && record.name.charAt(n.length) === ".";
  }
}
//# sourceMappingURL=filter.js.map
