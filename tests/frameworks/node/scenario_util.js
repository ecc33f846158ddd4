'use strict';
// Shared by the npm scenarios: prints "OUTCOME <json>" (keys sorted) for differential.py and
// returns the exit code: 1 when a value differs from the expected one.
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
  }
  return value;
}

function check(out, expected) {
  console.log(`OUTCOME ${JSON.stringify(sorted(out))}`);
  const broken = Object.keys(expected)
    .filter((k) => JSON.stringify(out[k]) !== JSON.stringify(expected[k]))
    .map((k) => `${k}: got ${JSON.stringify(out[k])}, expected ${JSON.stringify(expected[k])}`);
  if (broken.length) {
    console.error(`unexpected: ${broken.join('; ')}`);
    return 1;
  }
  return 0;
}

module.exports = { check };
