// Node's storage: logs are files, names are paths (relative ones under a directory, the
// working directory by default, as CPython's FileHandler resolves them). Node only: the Node
// entry imports it; browser bundles never see `node:fs`.
//
// A handler's file is fixed when the handler is made (`resolve`, CPython's
// `os.path.abspath` in FileHandler.__init__): after `process.chdir()` an existing handler
// keeps writing where it did, and a handler made afterwards resolves against the new working
// directory. `{root, confine: true}` refuses every name that escapes `root`.

import fs from "node:fs";
import path from "node:path";

/**
 * Files under `dir` (default: the process's working directory at the time a name is
 * resolved), or, with `{root, confine: true}` (as the only argument, or as options after
 * `dir`), only under `root`: a name that escapes it — `..`, an absolute path elsewhere, a
 * symbolic link pointing out — is refused with an `Error` naming it, so a configuration
 * naming it fails and changes nothing. Appends are unbuffered `writeSync`s on a descriptor
 * kept open per log, so a crash loses no record; `close()` closes the descriptors (done on
 * rename, remove and truncate of a log).
 */
export class NodeFileStorage {
  constructor(dir, options) {
    if (dir !== null && typeof dir === "object") {
      options = dir;
      dir = dir.root;
    }
    const confine = Boolean(options && options.confine);
    if (confine && (dir === undefined || dir === null)) {
      throw new TypeError("NodeFileStorage: confine: true needs a root directory");
    }
    /** The fixed directory relative names resolve against (`null`: the working directory). */
    this._dir = dir === undefined || dir === null ? null : path.resolve(String(dir));
    /** Whether names must stay under the directory. */
    this.confine = confine;
    /** @type {Map<string, number>} */
    this._fds = new Map();
  }

  /** The directory relative names resolve against now. */
  get dir() {
    return this._dir ?? process.cwd();
  }

  /**
   * The absolute path a handler made now keeps for `name` (its `baseFilename`); refuses a
   * name outside the root when confined.
   */
  resolve(name) {
    return this.path(name);
  }

  /** The path of the log `name` (checked against the root when confined). */
  path(name) {
    const p = path.resolve(this.dir, String(name));
    if (this.confine) this._check(String(name), p);
    return p;
  }

  /** Throws unless `p` (the path of `name`) lies under the root, symbolic links followed. */
  _check(name, p) {
    const root = this._dir;
    const inside = (r, q) => {
      const rel = path.relative(r, q);
      return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
    };
    let ok = inside(root, p);
    if (ok) {
      // The deepest part of the path that exists, with its links resolved, must still be
      // under the root (with its links resolved): a link inside pointing outside escapes.
      let realRoot = root;
      try {
        realRoot = fs.realpathSync(root);
      } catch {
        // a root that does not exist yet: nothing under it can be a link
      }
      let q = p;
      while (q !== root) {
        let real;
        try {
          real = fs.realpathSync(q);
        } catch {
          q = path.dirname(q); // not there (yet): its parent decides
          continue;
        }
        ok = inside(realRoot, real);
        break;
      }
    }
    if (!ok) {
      throw new Error(`NodeFileStorage: '${name}' is outside the confined root ${root}`);
    }
  }

  /** The files in the folder `dir` ("" for this storage's directory), named as the other
   * methods take them (`dir/name`): what TimedRotatingFileHandler's backupCount needs. */
  list(dir) {
    const d = String(dir ?? "");
    const prefix = d === "" ? "" : `${d.replace(/\/+$/, "")}/`;
    return fs
      .readdirSync(this.path(d === "" ? "." : d), { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => prefix + e.name)
      .sort();
  }

  _closeFd(name) {
    const fd = this._fds.get(name);
    if (fd !== undefined) {
      this._fds.delete(name);
      fs.closeSync(fd);
    }
  }

  append(name, bytes) {
    let fd = this._fds.get(name);
    if (fd === undefined) {
      fd = fs.openSync(this.path(name), "a");
      this._fds.set(name, fd);
    }
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
  }

  size(name) {
    try {
      return fs.statSync(this.path(name)).size;
    } catch (e) {
      // Missing, but creatable only if its directory exists (CPython's FileHandler fails to
      // open "nodir/app.log" at configuration time).
      if (e.code === "ENOENT" && fs.existsSync(path.dirname(this.path(name)))) return null;
      throw e;
    }
  }

  rename(from, to) {
    this._closeFd(from);
    this._closeFd(to);
    fs.renameSync(this.path(from), this.path(to));
  }

  remove(name) {
    this._closeFd(name);
    fs.rmSync(this.path(name), { force: true });
  }

  read(name) {
    try {
      return fs.readFileSync(this.path(name));
    } catch (e) {
      if (e.code === "ENOENT") return null;
      throw e;
    }
  }

  truncate(name) {
    this._closeFd(name);
    fs.writeFileSync(this.path(name), "");
  }

  /** Closes every open descriptor (later appends reopen). */
  close() {
    for (const name of [...this._fds.keys()]) this._closeFd(name);
  }
}
//# sourceMappingURL=nodestorage.js.map
