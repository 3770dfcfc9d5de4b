// config.json: what differs between AWS and the local stack, so the same built page runs against both.
// deploy writes it for AWS; `nst serve` (pipeline/local/web.py) serves it for the local stack.
const REQUIRED = ['region', 'identityPoolId', 'uploadsBucket', 'gifPrefix', 'styleUploadPrefix', 'imagesBucket',
  'photoPrefix', 'paintUrl', 'limits', 'email', 'styles'];
const LIMIT_NAMES = ['max_bytes', 'max_frames', 'max_duration_ms', 'max_screen_pixels', 'max_side', 'max_image_pixels'];

/** A configuration problem is the operator's, not the visitor's: say which field, so it is fixed once. */
export class ConfigError extends Error {}

/** Check a parsed config.json and fill the optional fields; throws ConfigError naming what is wrong. */
export function validateConfig(config) {
  if (!config || typeof config !== 'object') throw new ConfigError('config.json is not a JSON object.');
  const missing = REQUIRED.filter((name) => config[name] === undefined || config[name] === '');
  if (missing.length) throw new ConfigError(`config.json lacks ${missing.join(', ')}.`);
  const badLimits = LIMIT_NAMES.filter((name) => !(Number.isInteger(config.limits[name]) && config.limits[name] > 0));
  if (badLimits.length) throw new ConfigError(`config.json's limits need positive whole numbers for ${badLimits.join(', ')}.`);
  checkEmailRule(config.email);
  if (!Array.isArray(config.styles) || config.styles.length === 0) {
    throw new ConfigError('config.json lists no styles.');
  }
  for (const style of config.styles) {
    if (!style.name || !style.title) throw new ConfigError('Every style in config.json needs a name and a title.');
  }
  return {
    endpoint: null, // AWS: the SDK's regional endpoints; local: the moto server's URL
    executionStatusUrl: null, // local only: the GIF execution's progress
    photoOptions: {}, // the paint request's options (the local stack makes them tiny for tests)
    photoSize: null, // the longest side photos are painted at: the page downscales uploads to it
    ...config,
  };
}

// The pipeline's address rule (lambdas/shared/addresses.py page_rule): {pattern, max_length}.
function checkEmailRule(rule) {
  if (typeof rule?.pattern !== 'string' || !(Number.isInteger(rule.max_length) && rule.max_length > 0)) {
    throw new ConfigError("config.json's email needs a pattern and a positive max_length.");
  }
  try {
    new RegExp(rule.pattern);
  } catch (error) {
    throw new ConfigError(`config.json's email pattern is not a regular expression: ${error.message}`);
  }
}

export async function loadConfig(url = 'config.json') {
  let response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch (error) {
    throw new ConfigError(`The page could not load ${url}: ${error.message}.`);
  }
  if (!response.ok) throw new ConfigError(`The page could not load ${url} (HTTP ${response.status}).`);
  let parsed;
  try {
    parsed = await response.json();
  } catch {
    throw new ConfigError(`${url} is not valid JSON.`);
  }
  return validateConfig(parsed);
}
