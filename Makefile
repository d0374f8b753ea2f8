# Builds the Lambda package. `sam build` (template.yaml: Metadata BuildMethod: makefile, CodeUri: .)
# runs `make build-ProxyFunction` with ARTIFACTS_DIR set, either in this directory
# (--build-in-source, as samconfig.toml asks) or in a scratch copy of it. CodeUri is the repository
# root rather than src/BedrockLambdaProxy because the build needs Directory.Build.props and
# Directory.Packages.props, which a copy of the project folder alone would leave behind.
#
#   LAMBDA_ARCH   x86_64 (default) or arm64; must match the template's Architecture parameter.
#   PUBLISH_MODE  aot (default): Native AOT, one self-contained `bootstrap` executable for
#                      provided.al2023 (fastest cold start, smallest package). Built on any glibc
#                      Linux with clang or gcc; scripts/check-native-deps.sh proves it still runs on
#                      AL2023's glibc 2.34. arm64 on an x64 host cross-links with clang and Debian's
#                      aarch64 cross toolchain (see CROSS_PACKAGES below).
#                 selfcontained: fallback; self-contained, trimmed, ReadyToRun; for provided.al2023.
#                 framework: fallback; framework-dependent; for the managed dotnet10 runtime.
#   KEEP_DIAGNOSTICS=1  keep the runtime's debugger / dump / tracing files (dropped by default).

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
PROJECT := $(ROOT)/src/BedrockLambdaProxy/BedrockLambdaProxy.csproj
LAMBDA_ARCH ?= x86_64
PUBLISH_MODE ?= aot
DOTNET ?= dotnet

ifeq ($(LAMBDA_ARCH),x86_64)
RID := linux-x64
else ifeq ($(LAMBDA_ARCH),arm64)
RID := linux-arm64
else
$(error LAMBDA_ARCH must be x86_64 or arm64, got '$(LAMBDA_ARCH)')
endif

HOST_ARCH := $(shell uname -m)
# Debian / Ubuntu packages that cross-link a linux-arm64 Native AOT binary on an x64 host.
CROSS_PACKAGES := clang binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross

ifeq ($(PUBLISH_MODE),selfcontained)
PUBLISH_FLAGS := --self-contained true -p:PublishTrimmed=true -p:PublishReadyToRun=true
else ifeq ($(PUBLISH_MODE),aot)
PUBLISH_FLAGS := -p:PublishAot=true -p:StripSymbols=true
ifeq ($(LAMBDA_ARCH)-$(HOST_ARCH),arm64-x86_64)
# Cross-linking: the ILCompiler passes --target=aarch64-linux-gnu to the linker driver, which
# only clang understands; clang then finds Debian's aarch64 cross gcc installation (crt files,
# libgcc) and the aarch64 libc under /usr/aarch64-linux-gnu, and links with aarch64-linux-gnu-ld.
CLANG := $(firstword $(shell command -v clang) $(shell ls /usr/bin/clang-[0-9]* 2>/dev/null | sort -t- -k2 -n -r))
PUBLISH_FLAGS += -p:CppCompilerAndLinker=$(CLANG) -p:ObjCopyName=aarch64-linux-gnu-objcopy
CROSS_CHECK := test -n "$(CLANG)" && command -v aarch64-linux-gnu-ld.bfd > /dev/null && command -v aarch64-linux-gnu-objcopy > /dev/null && test -e /usr/aarch64-linux-gnu/lib/libc.so.6
endif
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
ifdef CROSS_CHECK
	@$(CROSS_CHECK) || { echo "arm64 Native AOT on an x64 host needs: apt-get install $(CROSS_PACKAGES)" >&2; \
	  echo "(or PUBLISH_MODE=selfcontained LAMBDA_ARCH=arm64 for the trimmed ReadyToRun fallback)" >&2; exit 2; }
endif
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
