# SleepScoring service image. Build from the repository root:
#   docker build -t sleepscoring-api .
#   docker run -p 8080:8080 -v sleepscoring-data:/data -e Security__BootstrapAdminKey="$(openssl rand -base64 32)" sleepscoring-api
# The steps mirror the steps in docs/service.md.

# --- build: the SDK restores and publishes only the service and the projects it references ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY schemas/ schemas/
COPY src/SleepScoring.Edf/ src/SleepScoring.Edf/
COPY src/SleepScoring.Analysis/ src/SleepScoring.Analysis/
COPY src/SleepScoring.Rendering/ src/SleepScoring.Rendering/
COPY src/SleepScoring.Model/ src/SleepScoring.Model/
COPY src/SleepScoring.Inference/ src/SleepScoring.Inference/
COPY src/SleepScoring.Api/ src/SleepScoring.Api/
RUN dotnet publish src/SleepScoring.Api/SleepScoring.Api.csproj -c Release -o /app --no-self-contained

# --- runtime: ASP.NET Core only, non-root, data on a volume, the model beside the app ---
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The service runs the integer graphs only: the card and the two *.int.onnx files (without them /ready stays 503).
COPY models/model-card.json models/encoder.int.onnx models/sequence.int.onnx /app/models/
RUN mkdir -p /data && chown -R app:app /data
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    Storage__DataDirectory=/data \
    Scoring__ModelDirectory=/app/models
VOLUME ["/data"]
EXPOSE 8080
# Orchestrators probe GET /health (liveness) and GET /ready (database + model loaded).
ENTRYPOINT ["dotnet", "SleepScoring.Api.dll"]
