// The web tier's features, one namespace each: most web tests speak several of them.
global using ClinicChat.Web.Api;
global using ClinicChat.Web.Attachments;
global using ClinicChat.Web.Audit;
global using ClinicChat.Web.Auth;
global using ClinicChat.Web.Clinics;
global using ClinicChat.Web.Conversations;
global using ClinicChat.Web.Me;
global using ClinicChat.Web.Patients;
global using ClinicChat.Web.Records;
global using ClinicChat.Web.Onboarding;
