"""ClinicalTrials.gov API v2 study JSON → :class:`~remission.domain.trial.Trial`.

The mapping is one to one where the registry has a field. Values outside Remission's
vocabularies (an aact test fixture has ``PHASE5``) are kept in ``Trial.unmapped`` rather than
failing a record that is otherwise sound; wrong types and missing required fields (``nctId``,
``briefTitle``) reject the record with the field's path.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from remission.domain.diseases import classify_condition
from remission.domain.trial import (
    Arm,
    Condition,
    Contact,
    Design,
    Eligibility,
    Enrollment,
    GeoPoint,
    Intervention,
    Investigator,
    Organization,
    Outcome,
    ResponsibleParty,
    SecondaryId,
    Site,
    SourceInfo,
    Trial,
)
from remission.domain.values import DateValue
from remission.domain.vocab import (
    AgencyClass,
    Allocation,
    ArmGroupType,
    ContactRole,
    EnrollmentType,
    InterventionModel,
    InterventionType,
    Masking,
    OfficialRole,
    OverallStatus,
    Phase,
    PrimaryPurpose,
    ResponsiblePartyType,
    Sex,
    StdAge,
    StudyType,
)
from remission.registry import ctgov_schema as v2
from remission.registry.eligibility import split_criteria
from remission.registry.errors import Problem, RecordRejected
from remission.registry.vocab_reader import VocabReader

KIND = "ctgov-v2"


def looks_like_study(obj: object) -> bool:
    return isinstance(obj, dict) and "protocolSection" in obj


def parse_study(obj: Any, *, file: str, record: str) -> Trial:
    """One v2 study object → a single-source Trial. Raises :class:`RecordRejected`."""
    if not isinstance(obj, dict):
        raise RecordRejected([Problem(file, f"expected a JSON object, got {type(obj).__name__}", record)])
    try:
        study = v2.Study.model_validate(obj)
    except ValidationError as exc:
        raise RecordRejected(_problems(exc, obj, file, record)) from None
    nct = study.protocolSection.identificationModule.nctId
    try:
        return _MapStudy(study, file=file, record=nct).trial()
    except ValidationError as exc:
        raise RecordRejected(_problems(exc, obj, file, nct)) from None


def _problems(exc: ValidationError, obj: dict[str, Any], file: str, record: str) -> list[Problem]:
    # Any level may be something other than an object ({"identificationModule": null} ...).
    section = obj.get("protocolSection")
    ident = section.get("identificationModule") if isinstance(section, dict) else None
    nct = ident.get("nctId") if isinstance(ident, dict) else None
    label = nct if isinstance(nct, str) else record
    out = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"])
        value = err.get("input")
        shown = repr(value)[:80] if not isinstance(value, dict | list) else type(value).__name__
        out.append(Problem(file, f"{err['msg']} (got {shown})", label, path))
    return out


class _MapStudy(VocabReader):
    def __init__(self, study: v2.Study, *, file: str, record: str) -> None:
        super().__init__()
        self.s = study
        self.ps = study.protocolSection
        self.file = file
        self.record = record

    def date(self, struct: v2.DateStruct | None, field: str) -> DateValue | None:
        return None if struct is None else self.date_text(struct.date, field, struct.type)

    def trial(self) -> Trial:
        ident = self.ps.identificationModule
        status = self.ps.statusModule or v2.StatusModule()
        sponsors = self.ps.sponsorCollaboratorsModule or v2.SponsorCollaboratorsModule()
        desc = self.ps.descriptionModule or v2.DescriptionModule()
        conds = self.ps.conditionsModule or v2.ConditionsModule()
        design = self.ps.designModule or v2.DesignModule()
        arms = self.ps.armsInterventionsModule or v2.ArmsInterventionsModule()
        outcomes = self.ps.outcomesModule or v2.OutcomesModule()
        elig = self.ps.eligibilityModule
        cl = self.ps.contactsLocationsModule or v2.ContactsLocationsModule()

        secondary = [SecondaryId(id=s.id, type=s.type, source=s.domain, link=s.link) for s in ident.secondaryIdInfos]
        if ident.orgStudyIdInfo is not None:
            secondary.insert(
                0,
                SecondaryId(
                    id=ident.orgStudyIdInfo.id,
                    type="org_study_id",
                    source=ident.organization.fullName if ident.organization else None,
                    link=ident.orgStudyIdInfo.link,
                ),
            )
        sponsor = None
        if sponsors.leadSponsor is not None:
            sponsor = Organization(
                name=sponsors.leadSponsor.name,
                agency_class=self.enum(AgencyClass, sponsors.leadSponsor.class_, "sponsor.class"),
            )
        rp = sponsors.responsibleParty
        responsible = None
        if rp is not None and (rp.type or rp.investigatorFullName or rp.oldNameTitle):
            responsible = ResponsibleParty(
                type=self.enum(ResponsiblePartyType, rp.type, "responsible_party.type"),
                investigator_name=rp.investigatorFullName,
                investigator_title=rp.investigatorTitle or rp.oldNameTitle,
                investigator_affiliation=rp.investigatorAffiliation or rp.oldOrganization,
            )
        di = design.designInfo
        design_model = None
        if di is not None:
            mi = di.maskingInfo or v2.MaskingInfo()
            design_model = Design(
                allocation=self.enum(Allocation, di.allocation, "design.allocation"),
                intervention_model=self.enum(InterventionModel, di.interventionModel, "design.intervention_model"),
                intervention_model_description=di.interventionModelDescription,
                masking=self.enum(Masking, mi.masking, "design.masking"),
                masking_description=mi.maskingDescription,
                who_masked=list(mi.whoMasked),
                primary_purpose=self.enum(PrimaryPurpose, di.primaryPurpose, "design.primary_purpose"),
                observational_model=di.observationalModel,
                time_perspective=di.timePerspective,
                open_label=(mi.masking == "NONE") if mi.masking else None,
                single_arm=(di.interventionModel == "SINGLE_GROUP") if di.interventionModel else None,
            )
        enrollment = None
        if design.enrollmentInfo is not None and design.enrollmentInfo.count is not None:
            enrollment = Enrollment(
                count=design.enrollmentInfo.count,
                type=self.enum(EnrollmentType, design.enrollmentInfo.type, "enrollment.type"),
            )
        eligibility = None
        if elig is not None:
            inclusion, exclusion = split_criteria(elig.eligibilityCriteria)
            eligibility = Eligibility(
                minimum_age=self.age(elig.minimumAge, "eligibility.minimum_age"),
                maximum_age=self.age(elig.maximumAge, "eligibility.maximum_age"),
                sex=self.enum(Sex, elig.sex, "eligibility.sex"),
                gender_based=elig.genderBased,
                gender_description=elig.genderDescription,
                healthy_volunteers=elig.healthyVolunteers,
                std_ages=self.enums(StdAge, elig.stdAges, "eligibility.std_ages"),
                criteria_text=elig.eligibilityCriteria,
                inclusion=inclusion,
                exclusion=exclusion,
            )
        locations = cl.locations if cl.locations is not None else (cl.locations_nested or [])
        sites = [self.site(loc) for loc in locations]
        countries: list[str] = []
        for site in sites:
            if site.country and site.country not in countries:
                countries.append(site.country)
        version = self.s.derivedSection.miscInfoModule if self.s.derivedSection else None
        retrieved = None
        if version is not None and version.versionHolder:
            retrieved = self.date(v2.DateStruct(date=version.versionHolder), "retrieved")
        if retrieved is None:
            retrieved = self.date(status.lastUpdatePostDateStruct, "retrieved")
        source = SourceInfo(
            id=f"{KIND}:{ident.nctId}",
            kind=KIND,
            location=self.file,
            record=self.record,
            retrieved=retrieved.value if retrieved else None,
            registry=True,
        )
        study_type = self.enum(
            StudyType, design.studyType, "study_type", {"EXPANDED_ACCESS_INTERVENTIONAL": StudyType.EXPANDED_ACCESS}
        )
        return Trial(
            id=ident.nctId,
            nct_id=ident.nctId,
            org_study_id=ident.orgStudyIdInfo.id if ident.orgStudyIdInfo else None,
            secondary_ids=secondary,
            aliases=list(ident.nctIdAliases),
            brief_title=ident.briefTitle,
            official_title=ident.officialTitle,
            acronym=ident.acronym,
            sponsor=sponsor,
            collaborators=[
                Organization(name=c.name, agency_class=self.enum(AgencyClass, c.class_, "collaborators.class"))
                for c in sponsors.collaborators
            ],
            responsible_party=responsible,
            investigators=[
                Investigator(
                    name=o.name, role=self.enum(OfficialRole, o.role, "investigators.role"), affiliation=o.affiliation
                )
                for o in cl.overallOfficials
            ],
            overall_status=self.enum(OverallStatus, status.overallStatus, "overall_status"),
            why_stopped=status.whyStopped,
            start_date=self.date(status.startDateStruct, "start_date"),
            primary_completion_date=self.date(status.primaryCompletionDateStruct, "primary_completion_date"),
            completion_date=self.date(status.completionDateStruct, "completion_date"),
            first_posted=self.date(status.studyFirstPostDateStruct, "first_posted"),
            last_update=self.date(status.lastUpdatePostDateStruct, "last_update"),
            phases=self.enums(Phase, design.phases, "phases"),
            study_type=study_type,
            enrollment=enrollment,
            design=design_model,
            arms=[
                Arm(
                    label=a.label,
                    type=self.enum(ArmGroupType, a.type, "arms.type"),
                    description=a.description,
                    intervention_names=list(a.interventionNames),
                )
                for a in arms.armGroups
            ],
            interventions=[
                Intervention(
                    name=i.name,
                    type=self.enum(InterventionType, i.type, "interventions.type"),
                    description=i.description,
                    other_names=list(i.otherNames),
                    arm_labels=list(i.armGroupLabels),
                )
                for i in arms.interventions
            ],
            conditions=[Condition(text=c, code=classify_condition(c)) for c in conds.conditions if c.strip()],
            keywords=[k for k in conds.keywords if k.strip()],
            eligibility=eligibility,
            primary_outcomes=_outcomes(outcomes.primaryOutcomes),
            secondary_outcomes=_outcomes(outcomes.secondaryOutcomes),
            other_outcomes=_outcomes(outcomes.otherOutcomes),
            sites=sites,
            central_contacts=[self.contact(c, "central_contacts.role") for c in cl.centralContacts],
            countries=countries,
            brief_summary=desc.briefSummary,
            detailed_description=desc.detailedDescription,
            has_results=self.s.hasResults,
            sources=[source],
            unmapped=self.unmapped,
        )

    def contact(self, c: v2.ContactV2, field: str) -> Contact:
        return Contact(
            name=c.name, role=self.enum(ContactRole, c.role, field), phone=c.phone, phone_ext=c.phoneExt, email=c.email
        )

    def site(self, loc: v2.Location) -> Site:
        return Site(
            facility=loc.facility,
            city=loc.city,
            state=loc.state,
            zip=loc.zip,
            country=loc.country,
            status=self.enum(OverallStatus, loc.status, "sites.status"),
            contacts=[self.contact(c, "sites.contacts.role") for c in loc.contacts],
            geo=GeoPoint(lat=loc.geoPoint.lat, lon=loc.geoPoint.lon) if loc.geoPoint else None,
        )


def _outcomes(items: list[v2.OutcomeV2]) -> list[Outcome]:
    return [
        Outcome(measure=o.measure, description=o.description, time_frame=o.timeFrame)
        for o in items
        if o.measure.strip()
    ]
