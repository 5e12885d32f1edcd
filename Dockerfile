# One image recipe for every service: docker compose passes the project to build as PROJECT.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
WORKDIR /src
COPY . .
RUN dotnet publish "$PROJECT" -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ARG ASSEMBLY
ENV ASSEMBLY=${ASSEMBLY}
# Arguments after the image (a tool's command line) pass through to the program.
ENTRYPOINT ["sh", "-c", "exec dotnet /app/$ASSEMBLY.dll \"$@\"", "--"]
