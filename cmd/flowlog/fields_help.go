package main

const fieldsHelp = `usage: flowlog fields [-presets]

Prints the field registry: every VPC flow-log field of versions 2 to 11
with its underscore column name, the version that introduced it, its kind,
its Athena and Parquet types and a description; with -presets, the preset
formats (names that --format, the CDK app's logFormat and 'flowlog
generate' accept).

Examples:
  flowlog fields
  flowlog fields | grep -i tag
  flowlog fields -presets

Flags:
  -presets   list the preset formats instead

` + writerExitStatusHelp
