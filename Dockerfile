# Multi-stage build: the SDK image builds and publishes; the small ASP.NET runtime image runs as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Bridge/Bridge.csproj src/Bridge/
RUN dotnet restore src/Bridge/Bridge.csproj
COPY src/ src/
RUN dotnet publish src/Bridge/Bridge.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# ffmpeg turns audio into WhatsApp voice notes and video WhatsApp can't play into MP4; without it files go as they are.
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null && rm -rf /var/lib/apt/lists/*
COPY --from=build /app ./
# The LiteDB file lives in a volume so jobs, links and media survive a new container.
RUN mkdir -p /data && chown $APP_UID:$APP_UID /data
VOLUME /data
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Storage__LiteDbPath=/data/bridge.db
EXPOSE 8080
# The numeric id (1654, the .NET images' app user), so Kubernetes' runAsNonRoot can verify it is not root: a user
# name cannot be checked (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
USER $APP_UID
# The runtime image has neither curl nor wget: Bridge's own `healthcheck` command GETs /healthz on the port it listens
# on and exits 0 or 1 (https://docs.docker.com/reference/dockerfile/#healthcheck).
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["dotnet", "Bridge.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "Bridge.dll"]
