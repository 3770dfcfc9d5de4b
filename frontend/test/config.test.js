// config.json checks: an operator's mistake must name the field, not surface as a broken upload later.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, validateConfig } from '../src/config.js';
import { checkEmail } from '../src/gifmode.js';

const LIMITS = { max_bytes: 20_000_000, max_frames: 300, max_duration_ms: 30_000, max_screen_pixels: 1_048_576,
  max_side: 1024, max_image_pixels: 25_000_000 };
// The shape of lambdas/shared/addresses.py page_rule(); tests/unit/test_email_rule.py checks the real one.
const RULE = { pattern: '^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+$', max_length: 254 };
const VALID = { region: 'eu-west-1', identityPoolId: 'eu-west-1:0000', uploadsBucket: 'up', gifPrefix: 'uploads/',
  styleUploadPrefix: 'styles/', resultsBucket: 'res', imagesBucket: 'img', photoPrefix: 'uploads/photos/',
  paintUrl: 'https://abc.lambda-url.eu-west-1.on.aws/', limits: LIMITS, email: RULE,
  styles: [{ name: 'starry_night', title: 'The Starry Night' }] };

test('fills the optional fields an AWS deployment leaves out', () => {
  const config = validateConfig(VALID);
  assert.equal(config.endpoint, null);
  assert.equal(config.executionStatusUrl, null);
  assert.deepEqual(config.photoOptions, {});
  assert.equal(validateConfig({ ...VALID, endpoint: 'http://127.0.0.1:5000' }).endpoint, 'http://127.0.0.1:5000');
});

test('names the missing fields', () => {
  const { paintUrl, imagesBucket, ...partial } = VALID;
  assert.throws(() => validateConfig(partial), new ConfigError('config.json lacks imagesBucket, paintUrl.'));
  assert.throws(() => validateConfig('nope'), ConfigError);
});

test('refuses limits that are not positive whole numbers', () => {
  const limits = { ...LIMITS, max_frames: 0, max_side: '1024' };
  assert.throws(() => validateConfig({ ...VALID, limits }),
    new ConfigError("config.json's limits need positive whole numbers for max_frames, max_side."));
});

test('refuses an empty style list or a style without a title', () => {
  assert.throws(() => validateConfig({ ...VALID, styles: [] }), /lists no styles/);
  assert.throws(() => validateConfig({ ...VALID, styles: [{ name: 'x' }] }), /needs a name and a title/);
});

test('email: missing and malformed addresses get a sentence, good ones none', () => {
  assert.equal(checkEmail('', RULE), 'Enter your email address: the painted GIF is sent there.');
  assert.equal(checkEmail('   ', RULE), 'Enter your email address: the painted GIF is sent there.');
  assert.match(checkEmail('painter.example.com', RULE), /^“painter.example.com” is not an email address we can send to/);
  assert.match(checkEmail('Ünïcode@exämple.com', RULE), /is not an email address/);
  assert.match(checkEmail(`${'a'.repeat(250)}@example.com`, RULE), /longer than 254 characters/);
  assert.equal(checkEmail(' painter@example.com ', RULE), null);
});

test('refuses an email rule that is missing or not a regular expression', () => {
  const { email, ...withoutRule } = VALID;
  assert.throws(() => validateConfig(withoutRule), new ConfigError('config.json lacks email.'));
  assert.throws(() => validateConfig({ ...VALID, email: { pattern: '(', max_length: 254 } }), /not a regular expression/);
  assert.throws(() => validateConfig({ ...VALID, email: { pattern: '.' } }), /positive max_length/);
});
