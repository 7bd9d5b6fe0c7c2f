#!/usr/bin/env node
'use strict';
/* global require, __dirname, process */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node before any TypeScript loader */
/**
 * `npx work-qbo <command>`: the operator CLI (plugin/cli/main.ts). In a checkout the TypeScript sources run
 * through tsx; an installed package runs the compiled dist/ (npm run build).
 */
const fs = require('node:fs');
const path = require('node:path');

function resolvable(id) {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
}

function load() {
  const source = path.join(__dirname, '..', 'plugin', 'cli', 'main.ts');
  const compiled = path.join(__dirname, '..', 'dist', 'plugin', 'cli', 'main.js');
  if (fs.existsSync(source) && resolvable('tsx/cjs')) {
    require('tsx/cjs');
    return require(source);
  }
  return require(compiled);
}

load()
  .main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`work-qbo: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  });
