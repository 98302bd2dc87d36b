'use strict';
// The part of semver the main bundle's libraries call (issue 14: app.asar ≤ 1 MB), each function
// semver's own module; semver's index would bring ranges (Range, Comparator, ~30 KB) and was
// bundled twice (electron-updater ships its own copy). Callers, checked by
// test/packaging/semver-lite.test.ts against their source:
//  - electron-updater: SemVer, parse, valid, eq, gt, lt, lte, prerelease, rcompare (versions of
//    latest.yml against the app's);
//  - conf (via electron-store): clean, eq, gt, lte, and satisfies, which only its `migrations`
//    option reaches; the app passes none (main/electron/app-storage.ts), so ranges stay out.
module.exports = {
  SemVer: require('semver/classes/semver'),
  parse: require('semver/functions/parse'),
  valid: require('semver/functions/valid'),
  clean: require('semver/functions/clean'),
  eq: require('semver/functions/eq'),
  gt: require('semver/functions/gt'),
  lt: require('semver/functions/lt'),
  lte: require('semver/functions/lte'),
  prerelease: require('semver/functions/prerelease'),
  rcompare: require('semver/functions/rcompare'),
  satisfies() {
    throw new Error('semver ranges are not bundled with B24 Notify (conf migrations are not used; see build/semver-lite.cjs)');
  },
};
