package main

const fieldsHelp = `usage: flowlog fields [-presets]

Prints the field registry: every VPC flow-log field of versions 2 to 11
and every transit gateway flow-log field (version 6), with its underscore
column name, the version that introduced it, the flow logs that record it
(LOGS: vpc for VPCs, subnets and network interfaces, tgw for transit
gateways and their attachments), its kind, its Athena and Parquet types
and a description; with -presets, the preset formats (names that
--format, the CDK app's logFormat and 'flowlog generate' accept; the
app's flow logs are on a VPC, so not transit-gateway there).

A format holds the fields of one kind of flow log: fields only VPC flow
logs record and fields only transit gateway flow logs record do not mix.

Examples:
  flowlog fields
  flowlog fields | grep -i tag
  flowlog fields | grep tgw
  flowlog fields -presets
  flowlog parse --format transit-gateway tgw-records.txt

Flags:
  -presets   list the preset formats instead

` + writerExitStatusHelp
