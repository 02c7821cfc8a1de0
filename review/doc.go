// Package review explains the VPC flow logs in a CloudFormation template and
// checks them against the project's rules.
//
// It reads any template, ours or anyone's, JSON or YAML (short-form tags such
// as !Ref, !GetAtt, !Sub and !Join included), and for every AWS::EC2::FlowLog
// describes what is captured, which fields, where it goes, who can deliver and
// read it, how long it is kept and what it is attached to ([Explain]). The
// rules ([Rules], [Check]) are the single definition the template gates in
// package gates run as their "project" gate; [Compare] reports how the posture
// changed between two templates, and [Estimate] prices a configuration from the
// dated price table in prices.json.
//
// Nothing here talks to AWS: a template is data, and intrinsic functions are
// resolved to the resources they name inside the template or shown as written.
package review
