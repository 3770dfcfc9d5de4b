// Evaluates IAM requests against policies with @cloud-copilot/iam-simulate (identity policies, a resource
// policy, every condition operator, policy variables).
//
//   node evaluate.mjs < cases.json > decisions.json
//   cases: [{identityPolicies: [{name, policy}], resourcePolicy?, request: {action, principal, resource:
//            {accountId, resource}, contextVariables}}]
//   decisions: [{decision: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied", errors, ignoredContextKeys}]
//
// Each case runs twice. runSimulation validates it (policy grammar, the action exists, the resource type fits
// the action, which context keys the action accepts) and reports what it would ignore. Its key list lacks the
// web-identity keys (cognito-identity.amazonaws.com:sub, ...) that AWS sets for a role session assumed through
// Cognito and that the visitor role's resources name, so it would drop them; the decision therefore comes from
// runUnsafeSimulation, the same engine without that filter. The caller checks that only such keys were ignored.
import { createValidatedPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy'
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'))

const decisions = []
for (const one of cases) {
  const simulation = { serviceControlPolicies: [], resourceControlPolicies: [], ...one }
  if (one.resourcePolicy) {
    // validated and named: the unsafe engine reads the policy's name, which only a validated policy carries
    simulation.resourcePolicy = createValidatedPolicy(one.resourcePolicy, validateResourcePolicy,
      { name: 'BucketPolicy' })
  }
  const checked = await runSimulation(simulation, {})
  const errors = checked.errors ?? null
  const ignoredContextKeys = checked.result?.ignoredContextKeys ?? []
  const decision = errors ? null : runUnsafeSimulation(simulation, {})
  decisions.push({ decision, errors, ignoredContextKeys })
}
process.stdout.write(JSON.stringify(decisions))
