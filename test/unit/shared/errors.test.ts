// errorText: the text of anything thrown, for log lines and set-aside reasons that must never be
// "undefined" (a damaged page once made sql.js throw a value without a message; seed 348832 of
// test/integration/store-damage.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorText } from '../../../shared/errors';

test('errorText names what was thrown, whatever it is', () => {
  assert.equal(errorText(new Error('database disk image is malformed')), 'database disk image is malformed');
  assert.equal(errorText(new TypeError('')), 'TypeError');
  assert.equal(errorText('file is not a database'), 'file is not a database');
  assert.equal(errorText({ code: 11 }), '{"code":11}');
  assert.equal(errorText(undefined), 'undefined');
});
