# generated from schemas by `contractkit codegen` — do not edit.

