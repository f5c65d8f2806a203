"""The subset of the ClinicalTrials.gov API v2 study record that Remission reads.

Field names are the API's own (camelCase), from the v2 data dictionary
(https://clinicaltrials.gov/data-api/about-api/study-data-structure). Strings are strict (a
number where the API has a string is an error, with its field path), enumerations are plain
strings here and are mapped onto the domain vocabularies by :mod:`remission.registry.ctgov`,
which keeps any value outside them instead of failing the record. Unknown fields are ignored:
the API grows.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr


class _V2(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class DateStruct(_V2):
    date: StrictStr
    type: StrictStr | None = None


class OrgStudyIdInfo(_V2):
    id: StrictStr
    type: StrictStr | None = None
    link: StrictStr | None = None


class SecondaryIdInfo(_V2):
    id: StrictStr
    type: StrictStr | None = None
    domain: StrictStr | None = None
    link: StrictStr | None = None


class OrganizationV2(_V2):
    fullName: StrictStr | None = None
    class_: StrictStr | None = Field(default=None, alias="class")


class IdentificationModule(_V2):
    nctId: StrictStr
    nctIdAliases: list[StrictStr] = Field(default_factory=list)
    orgStudyIdInfo: OrgStudyIdInfo | None = None
    secondaryIdInfos: list[SecondaryIdInfo] = Field(default_factory=list)
    organization: OrganizationV2 | None = None
    briefTitle: StrictStr
    officialTitle: StrictStr | None = None
    acronym: StrictStr | None = None


class StatusModule(_V2):
    statusVerifiedDate: StrictStr | None = None
    overallStatus: StrictStr | None = None
    lastKnownStatus: StrictStr | None = None
    whyStopped: StrictStr | None = None
    startDateStruct: DateStruct | None = None
    primaryCompletionDateStruct: DateStruct | None = None
    completionDateStruct: DateStruct | None = None
    studyFirstPostDateStruct: DateStruct | None = None
    lastUpdatePostDateStruct: DateStruct | None = None
    lastUpdateSubmitDate: StrictStr | None = None


class Sponsor(_V2):
    name: StrictStr
    class_: StrictStr | None = Field(default=None, alias="class")


class ResponsiblePartyV2(_V2):
    type: StrictStr | None = None
    investigatorFullName: StrictStr | None = None
    investigatorTitle: StrictStr | None = None
    investigatorAffiliation: StrictStr | None = None
    oldNameTitle: StrictStr | None = None
    oldOrganization: StrictStr | None = None


class SponsorCollaboratorsModule(_V2):
    responsibleParty: ResponsiblePartyV2 | None = None
    leadSponsor: Sponsor | None = None
    collaborators: list[Sponsor] = Field(default_factory=list)


class DescriptionModule(_V2):
    briefSummary: StrictStr | None = None
    detailedDescription: StrictStr | None = None


class ConditionsModule(_V2):
    conditions: list[StrictStr] = Field(default_factory=list)
    keywords: list[StrictStr] = Field(default_factory=list)


class MaskingInfo(_V2):
    masking: StrictStr | None = None
    maskingDescription: StrictStr | None = None
    whoMasked: list[StrictStr] = Field(default_factory=list)


class DesignInfo(_V2):
    allocation: StrictStr | None = None
    interventionModel: StrictStr | None = None
    interventionModelDescription: StrictStr | None = None
    primaryPurpose: StrictStr | None = None
    observationalModel: StrictStr | None = None
    timePerspective: StrictStr | None = None
    maskingInfo: MaskingInfo | None = None


class EnrollmentInfo(_V2):
    count: StrictInt | None = Field(default=None, ge=0)
    type: StrictStr | None = None


class DesignModule(_V2):
    studyType: StrictStr | None = None
    phases: list[StrictStr] = Field(default_factory=list)
    designInfo: DesignInfo | None = None
    enrollmentInfo: EnrollmentInfo | None = None


class ArmGroup(_V2):
    label: StrictStr
    type: StrictStr | None = None
    description: StrictStr | None = None
    interventionNames: list[StrictStr] = Field(default_factory=list)


class InterventionV2(_V2):
    type: StrictStr | None = None
    name: StrictStr
    description: StrictStr | None = None
    armGroupLabels: list[StrictStr] = Field(default_factory=list)
    otherNames: list[StrictStr] = Field(default_factory=list)


class ArmsInterventionsModule(_V2):
    armGroups: list[ArmGroup] = Field(default_factory=list)
    interventions: list[InterventionV2] = Field(default_factory=list)


class OutcomeV2(_V2):
    measure: StrictStr
    description: StrictStr | None = None
    timeFrame: StrictStr | None = None


class OutcomesModule(_V2):
    primaryOutcomes: list[OutcomeV2] = Field(default_factory=list)
    secondaryOutcomes: list[OutcomeV2] = Field(default_factory=list)
    otherOutcomes: list[OutcomeV2] = Field(default_factory=list)


class EligibilityModule(_V2):
    eligibilityCriteria: StrictStr | None = None
    healthyVolunteers: StrictBool | None = None
    sex: StrictStr | None = None
    genderBased: StrictBool | None = None
    genderDescription: StrictStr | None = None
    minimumAge: StrictStr | None = None
    maximumAge: StrictStr | None = None
    stdAges: list[StrictStr] = Field(default_factory=list)


class ContactV2(_V2):
    name: StrictStr | None = None
    role: StrictStr | None = None
    phone: StrictStr | None = None
    phoneExt: StrictStr | None = None
    email: StrictStr | None = None


class GeoPointV2(_V2):
    lat: StrictFloat | StrictInt
    lon: StrictFloat | StrictInt


class Location(_V2):
    facility: StrictStr | None = None
    status: StrictStr | None = None
    city: StrictStr | None = None
    state: StrictStr | None = None
    zip: StrictStr | None = None
    country: StrictStr | None = None
    contacts: list[ContactV2] = Field(default_factory=list)
    geoPoint: GeoPointV2 | None = None


class Official(_V2):
    name: StrictStr
    affiliation: StrictStr | None = None
    role: StrictStr | None = None


class ContactsLocationsModule(_V2):
    centralContacts: list[ContactV2] = Field(default_factory=list)
    overallOfficials: list[Official] = Field(default_factory=list)
    locations: list[Location] | None = None
    # Some exports carry a copy of the locations under this name; read when the real one is absent.
    locations_nested: list[Location] | None = None


class ProtocolSection(_V2):
    identificationModule: IdentificationModule
    statusModule: StatusModule | None = None
    sponsorCollaboratorsModule: SponsorCollaboratorsModule | None = None
    descriptionModule: DescriptionModule | None = None
    conditionsModule: ConditionsModule | None = None
    designModule: DesignModule | None = None
    armsInterventionsModule: ArmsInterventionsModule | None = None
    outcomesModule: OutcomesModule | None = None
    eligibilityModule: EligibilityModule | None = None
    contactsLocationsModule: ContactsLocationsModule | None = None


class MiscInfoModule(_V2):
    versionHolder: StrictStr | None = None


class DerivedSection(_V2):
    miscInfoModule: MiscInfoModule | None = None


class Study(_V2):
    """One v2 study record."""

    protocolSection: ProtocolSection
    derivedSection: DerivedSection | None = None
    hasResults: StrictBool | None = None
