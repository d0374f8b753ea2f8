# Builds the Lambda package. `sam build` (template.yaml: Metadata BuildMethod: makefile, CodeUri: .)
# runs `make build-ProxyFunction` with ARTIFACTS_DIR set, either in this directory
# (--build-in-source, as samconfig.toml asks) or in a scratch copy of it. CodeUri is the repository
# root rather than src/BedrockLambdaProxy because the build needs Directory.Build.props and
# Directory.Packages.props, which a copy of the project folder alone would leave behind.
#
#   LAMBDA_ARCH   x86_64 (default) or arm64; must match the template's Architecture parameter.
#   PUBLISH_MODE  selfcontained (default): self-contained, trimmed, ReadyToRun; for provided.al2023.
#                 aot: Native AOT; build it inside Amazon Linux (`sam build --use-container`, see
#                      docs/DEPLOY.md) so the binary links against the libc Lambda runs.
#                 framework: framework-dependent; for the managed dotnet10 runtime (Handler: bootstrap).
#   KEEP_DIAGNOSTICS=1  keep the runtime's debugger / dump / tracing files (dropped by default).

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
PROJECT := $(ROOT)/src/BedrockLambdaProxy/BedrockLambdaProxy.csproj
LAMBDA_ARCH ?= x86_64
PUBLISH_MODE ?= selfcontained
DOTNET ?= dotnet

ifeq ($(LAMBDA_ARCH),x86_64)
RID := linux-x64
else ifeq ($(LAMBDA_ARCH),arm64)
RID := linux-arm64
else
$(error LAMBDA_ARCH must be x86_64 or arm64, got '$(LAMBDA_ARCH)')
endif

ifeq ($(PUBLISH_MODE),selfcontained)
PUBLISH_FLAGS := --self-contained true -p:PublishTrimmed=true -p:PublishReadyToRun=true
else ifeq ($(PUBLISH_MODE),aot)
PUBLISH_FLAGS := -p:PublishAot=true -p:StripSymbols=true
else ifeq ($(PUBLISH_MODE),framework)
PUBLISH_FLAGS := --self-contained false
else
$(error PUBLISH_MODE must be selfcontained, aot or framework, got '$(PUBLISH_MODE)')
endif

.PHONY: build-ProxyFunction check-artifacts-dir

check-artifacts-dir:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; }

# Lambda's provided.al2023 runtime executes <package root>/bootstrap; the project's AssemblyName
# is "bootstrap" so the published executable already has that name.
build-ProxyFunction: check-artifacts-dir
	$(DOTNET) publish "$(PROJECT)" --nologo -c Release -r $(RID) $(PUBLISH_FLAGS) -o "$(ARTIFACTS_DIR)"
	@# Debug symbols of an AOT build are a separate file Lambda never reads.
	rm -f "$(ARTIFACTS_DIR)"/*.dbg
ifeq ($(PUBLISH_MODE),selfcontained)
ifneq ($(KEEP_DIAGNOSTICS),1)
	@# Parts of the runtime pack a Lambda never loads: debugger (DAC/DBI) and crash-dump support,
	@# the LTTng trace provider, and the standalone GCs used only when DOTNET_GCName asks for them.
	@# About a third of the package; KEEP_DIAGNOSTICS=1 keeps them.
	cd "$(ARTIFACTS_DIR)" && rm -f libmscordaccore.so libmscordbi.so createdump libcoreclrtraceptprovider.so libclrgc.so libclrgcexp.so
endif
endif
	@# Lambda runs the code as another user than the one that unzips it: everything must be
	@# world-readable and executables world-executable (the runtime pack ships some as 0744).
	chmod -R a+rX "$(ARTIFACTS_DIR)"
	test -x "$(ARTIFACTS_DIR)/bootstrap"
