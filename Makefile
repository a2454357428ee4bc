# make check runs what CI runs (but the installs, which .ci/run does).
DSN ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: build test test-postgres lint check bench assets

build:
	CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=$$(git describe --always --dirty 2>/dev/null || echo dev)" -o charte ./cmd/charte

test:
	go test -race -count=1 ./...

test-postgres:
	CHARTE_TEST_POSTGRES_DSN='$(DSN)' go test -race -count=1 ./...

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...
	go tool staticcheck ./...

assets:
	go generate ./internal/web/...

check: lint test-postgres

bench:
	go test -run '^$$' -bench . -benchmem ./...
