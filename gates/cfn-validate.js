#!/usr/bin/env node
// Schema gate: runs the CloudFormation validator that aws-cdk-lib bundles
// (node_modules/aws-cdk-lib/node_modules/@aws/cloudformation-validate) over every template
// given on the command line, in one process with one engine.
//
// It builds the engine exactly like aws-cdk-lib's CloudFormationValidatePlugin
// (core/lib/validation/cloudformation-validate-plugin.js): a CompositeEngine with CDK's
// built-in Rego rules for the resource types present. Unlike the plugin it passes NO `exclude`
// (the plugin drops W3005, W1020, I4010, W4011, W4012, W9002, W9013, W1103 and W3697 for
// AutoScaling) and synthesis-time acknowledgements do not apply, because this reads the
// template files, not the construct tree. Minimum severity is INFO so nothing is hidden; the
// Go side decides what fails (ERROR/FATAL/WARN) and applies the reviewed allow-list.
//
// usage: node gates/cfn-validate.js [--region R] [--account A] template.json...
// output: one JSON document on stdout: {validator, engine, templates: [{path, diagnostics, error}]}
'use strict';
const fs = require('fs');
const path = require('path');

function findRepoRoot(start) {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'node_modules', 'aws-cdk-lib', 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

// stackEnv reads manifest.json beside a template (a cdk.out directory) and returns the
// concrete account and region of the stack artifact whose templateFile is that template.
function stackEnv(templatePath) {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(templatePath), 'manifest.json'), 'utf-8'));
    for (const a of Object.values(manifest.artifacts || {})) {
      if (a.type !== 'aws:cloudformation:stack' || !a.properties) continue;
      if (a.properties.templateFile !== path.basename(templatePath)) continue;
      const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(a.environment || '');
      const env = {};
      if (m && /^[0-9]{12}$/.test(m[1])) env.accountId = m[1];
      if (m && /^[a-z]{2}(-[a-z]+)+-[0-9]$/.test(m[2])) env.region = m[2];
      return env;
    }
  } catch { /* no cloud assembly: validate against the engine's defaults */ }
  return {};
}

function main(argv) {
  const files = [];
  const pseudo = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--region') pseudo.region = argv[++i];
    else if (argv[i] === '--account') pseudo.accountId = argv[++i];
    else files.push(argv[i]);
  }
  const root = process.env.GATES_REPO_ROOT || findRepoRoot(__dirname) || findRepoRoot(process.cwd());
  if (!root) {
    process.stderr.write('gates: node_modules/aws-cdk-lib not found; run `npm ci` in the repository root\n');
    process.exit(2);
  }
  const cdkLib = path.join(root, 'node_modules', 'aws-cdk-lib');
  const cfv = require(path.join(cdkLib, 'node_modules', '@aws', 'cloudformation-validate'));
  const cdkVersion = JSON.parse(fs.readFileSync(path.join(cdkLib, 'package.json'), 'utf-8')).version;

  const sources = files.map((f) => ({ path: f, text: fs.readFileSync(f, 'utf-8'), env: stackEnv(f) }));
  const types = new Set();
  for (const s of sources) {
    try {
      for (const r of Object.values(JSON.parse(s.text).Resources || {})) {
        if (r && typeof r.Type === 'string') types.add(r.Type);
      }
    } catch { /* the validator reports unparsable templates itself */ }
  }
  // Same rule selection as the CDK plugin's loadBuiltinRegoRules().
  const rulesDir = path.join(cdkLib, 'core', 'lib', 'validation', 'rules');
  const index = JSON.parse(fs.readFileSync(path.join(rulesDir, 'index.generated.json'), 'utf-8'));
  const regoRules = index.rules
    .filter((r) => r.types === null || r.types.some((t) => types.has(t)))
    .sort((a, b) => a.file.localeCompare(b.file))
    .map((r) => ({ name: r.file, content: fs.readFileSync(path.join(rulesDir, r.file), 'utf-8') }));

  const engine = new cfv.CompositeEngine(regoRules.length ? { regoRules } : {});
  const out = { validator: cfv.version(), awsCdkLib: cdkVersion, engine: engine.engineName(), templates: [] };
  try {
    for (const s of sources) {
      const entry = { path: s.path, diagnostics: [] };
      try {
        const report = engine.validateTemplate(new cfv.TemplateContent(s.text, s.path), {
          detailLevel: 'DETAILED',
          severityLevel: 'INFO',
          // Like the CDK plugin: the stack's account and region when the cloud assembly next to
          // the template names a concrete environment; --account/--region override.
          pseudoParameterOverrides: { ...s.env, ...pseudo },
        });
        entry.diagnostics = report.diagnostics.map((d) => ({
          ruleId: d.ruleId,
          severity: d.severity,
          message: d.message,
          logicalId: d.entity && d.entity.logicalId,
          entityType: d.entity && d.entity.entityType,
          resourceType: d.entity && d.entity.resourceType,
          propertyPath: d.propertyPath,
          documentationUrl: d.documentationUrl,
          category: d.category,
          line: d.location && d.location.start && d.location.start.line,
        }));
      } catch (e) {
        entry.error = String(e);
      }
      out.templates.push(entry);
    }
  } finally {
    engine.free();
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main(process.argv.slice(2));
