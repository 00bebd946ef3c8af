module example.invalid/notary-verify/bindings/go

go 1.19
